// MSAL's network module over axios, so the token endpoint gets the same trusted CA and timeout as
// Graph. MSAL Node 7's default client is the global fetch, which cannot take a CA per client; the
// INetworkModule hook is MSAL's documented way to supply one.
import axios, { type AxiosInstance } from 'axios';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { TrustedCa } from './trusted-ca.js';

export class MsalNetworkClient implements INetworkModule {
  private readonly http: AxiosInstance;

  constructor(
    private readonly ca: TrustedCa,
    private readonly timeoutMs: number,
  ) {
    // MSAL reads every status itself (an AADSTS error is a 400/401 with a JSON body): never throw on one.
    this.http = axios.create({ timeout: timeoutMs, validateStatus: () => true, maxRedirects: 0 });
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const ms = timeout ?? this.timeoutMs;
    const res = await this.http.request({
      method,
      url,
      headers: options?.headers,
      data: method === 'POST' ? (options?.body ?? '') : undefined,
      httpsAgent: this.ca.httpsAgent(),
      timeout: ms,
      signal: AbortSignal.timeout(ms),
      responseType: 'json',
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined && v !== null) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    return { headers, body: res.data as T, status: res.status };
  }
}
