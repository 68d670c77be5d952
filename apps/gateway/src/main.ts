import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { hello } from '@lucy/contracts';
@Injectable() class S { v() { return hello; } }
@Controller() class C { constructor(private readonly s: S) {} @Get() g() { return this.s.v(); } }
@Module({ controllers: [C], providers: [S] }) class M {}
const app = await NestFactory.create(M, { logger: false });
await app.listen(3999);
const r = await fetch('http://127.0.0.1:3999/').then((x) => x.text());
console.log('got', r);
await app.close();
