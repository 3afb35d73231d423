import { describe, expect, it } from 'vitest';
import { publicOrigin } from '../src/http/origin.js';

describe('the link teachers are given', () => {
  const lan = '192.168.1.10';

  it('uses PUBLIC_URL as is when it is set', () => {
    expect(publicOrigin({ publicUrl: 'https://kenes.school.kz/', listensOnLan: true }, 'http', 'localhost:3000')).toBe('https://kenes.school.kz');
  });

  it('keeps a host that other machines can already reach', () => {
    expect(publicOrigin({ publicUrl: undefined, listensOnLan: true }, 'http', '10.1.2.3:3000', lan)).toBe('http://10.1.2.3:3000');
  });

  it('swaps localhost for the LAN address when the server listens on every interface', () => {
    expect(publicOrigin({ publicUrl: undefined, listensOnLan: true }, 'http', 'localhost:3000', lan)).toBe('http://192.168.1.10:3000');
    expect(publicOrigin({ publicUrl: undefined, listensOnLan: true }, 'http', '127.0.0.1:8080', lan)).toBe('http://192.168.1.10:8080');
  });

  it('keeps loopback when the server listens on loopback only', () => {
    expect(publicOrigin({ publicUrl: undefined, listensOnLan: false }, 'http', '127.0.0.1:3000', lan)).toBe('http://127.0.0.1:3000');
  });
});
