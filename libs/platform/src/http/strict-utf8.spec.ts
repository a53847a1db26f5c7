import type { IncomingMessage } from 'node:http';
import { firstInvalidByte, verifyUtf8 } from './strict-utf8';

describe('verifyUtf8 (the JSON body parser’s verify hook)', () => {
  const check = (bytes: number[] | string, encoding = 'utf-8') =>
    verifyUtf8(
      {} as IncomingMessage,
      {},
      typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes),
      encoding,
    );

  it('passes valid UTF-8: Kazakh, emoji', () => {
    expect(() => check('{"a":"Әәғқңөұүһі 🇰🇿"}')).not.toThrow();
  });

  it.each([
    ['a Latin-1 byte', [0x7b, 0xe9, 0x7d], 1],
    ['a lone continuation byte', [0x61, 0x62, 0x80], 2],
    ['a lead byte followed by ASCII', [0x61, 0xc3, 0x28], 1],
    ['a truncated sequence at the end', [0x61, 0xe2, 0x82], 1],
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['an encoded surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('refuses %s with a 400 naming the byte', (_name, bytes, at) => {
    expect(firstInvalidByte(Buffer.from(bytes))).toBe(at);
    expect(() => check(bytes)).toThrow(
      expect.objectContaining({
        status: 400,
        type: 'entity.encoding.invalid',
        message: `Request body is not valid UTF-8 (byte ${at})`,
      }),
    );
  });

  it('refuses the other charsets a JSON parser would take with 415', () => {
    expect(() => check([0xff, 0xfe, 0x7b, 0x00], 'utf-16le')).toThrow(
      expect.objectContaining({ status: 415, message: 'Request bodies must be UTF-8, not utf-16le' }),
    );
  });
});
