import { validateEnvironment } from '../config/environment';
import { trustProxy } from './configure-http';

describe('TRUST_PROXY', () => {
  it('is off by default: the address recorded is the socket peer', () => {
    expect(validateEnvironment({}).TRUST_PROXY).toBe('false');
    expect(trustProxy('false')).toBe(false);
  });

  it('takes true, a number of proxies, or their addresses and subnets', () => {
    expect(trustProxy('true')).toBe(true);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(validateEnvironment({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
  });

  it('refuses anything else at start-up, naming the variable', () => {
    expect(() => validateEnvironment({ TRUST_PROXY: 'everyone; drop' })).toThrow(/TRUST_PROXY/);
  });
});
