import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('replaces the values of secret-bearing query parameters and keeps the rest', () => {
    expect(redactUrl('/organisations/1/calendar.ics?token=klf_abc&x=1')).toBe(
      '/organisations/1/calendar.ics?token=[REDACTED]&x=1',
    );
    expect(redactUrl('/a?access_token=a&api_key=b&apiKey=c&password=d&signature=e&code=f&page=2')).toBe(
      '/a?access_token=[REDACTED]&api_key=[REDACTED]&apiKey=[REDACTED]&password=[REDACTED]&signature=[REDACTED]&code=[REDACTED]&page=2',
    );
  });

  it('reads names as the query parser does: escaped, in brackets, in any case, repeated', () => {
    for (const url of [
      '/f?%74oken=klf_secret',
      '/f?TOKEN=klf_secret',
      '/f?token[]=klf_secret',
      '/f?token%5B0%5D=klf_secret',
      '/f?x=1&token=a&token=klf_secret',
      '/f?to%ZZken=1&token=klf_secret',
      '/f?token=klf_secret#frag',
    ])
      expect(redactUrl(url)).not.toContain('klf_secret');
  });

  it('leaves URLs without a query, and parameters without a value, as they are', () => {
    expect(redactUrl('/health')).toBe('/health');
    expect(redactUrl('/a?token')).toBe('/a?token');
    expect(redactUrl('/memoranda?q=token&page=1')).toBe('/memoranda?q=token&page=1');
  });
});
