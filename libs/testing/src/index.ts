// libs/testing: the one copy of what integration and e2e tests share — waiting with a deadline, a broker
// tap, throwaway names and their clean-up, the sandbox in-process. Test code only: ESLint (eslint.config.js)
// refuses @lucy/testing (and @lucy/sandbox) anywhere but a project's test/ folder, e2e/ and bench/.
export * from './wait-for.js';
export * from './broker-tap.js';
export * from './throwaway.js';
export * from './clean-up.js';
export * from './http-json.js';
export * from './test-sandbox.js';
export * from './configuracion.js';
export * from './zip.js';
export * from './rabbitmqctl.js';
