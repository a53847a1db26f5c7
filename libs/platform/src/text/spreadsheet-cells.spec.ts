import { FORMULA_PAYLOADS } from '../../../../test/support/formula-payloads';
import { csvStringifier, spreadsheetText, startsFormula, trimText } from './spreadsheet-cells';

describe('spreadsheetText', () => {
  it.each(FORMULA_PAYLOADS.map((p) => [JSON.stringify(p), p]))('prefixes an apostrophe to %s', (_name, payload) => {
    expect(startsFormula(payload)).toBe(true);
    expect(spreadsheetText(payload)).toBe(`'${payload}`);
  });

  it('leaves text that cannot start a formula as it is', () => {
    for (const text of ['', ' ', 'Совместные мероприятия', "'=1+1", 'a=1', '1-2', '2021-09-28', '"=1"', 'x,=1'])
      expect(spreadsheetText(text)).toBe(text);
  });
});

describe('csvStringifier', () => {
  const write = async (rows: unknown[][], cast?: Parameters<typeof csvStringifier>[0]['cast']) => {
    const csv = csvStringifier({ cast });
    let out = '';
    csv.on('data', (c: Buffer) => (out += c.toString()));
    for (const r of rows) csv.write(r);
    csv.end();
    await new Promise((resolve) => csv.on('end', resolve));
    return out;
  };

  it('quotes every field, doubles quotes, neutralises text and keeps numbers as numbers', async () => {
    const out = await write([['=HYPERLINK("http://evil","x")', -2, 0, null, '', 'a"b', true, false]]);
    expect(out).toBe(`"'=HYPERLINK(""http://evil"",""x"")","-2","0","","","a""b","1",""\n`);
  });

  it("neutralises the caller's own casts of booleans, dates and objects", async () => {
    const out = await write([[true, new Date(0), { a: 1 }]], {
      boolean: () => '=TRUE()',
      date: () => '-1',
      object: () => '@x',
    });
    expect(out).toBe(`"'=TRUE()","'-1","'@x"\n`);
  });
});

describe('trimText', () => {
  const trim = (value: unknown) => trimText({ value });

  it('keeps a leading tab and an apostrophe, and trims spaces and line breaks around the text', () => {
    expect(trim('\t=1+1')).toBe('\t=1+1');
    expect(trim("  '=1+1  ")).toBe("'=1+1");
    expect(trim(' \n\t@SUM(1)\t\n')).toBe('\t@SUM(1)');
    expect(trim('  title  ')).toBe('title');
  });

  it('trims a text of blanks, tabs included, to nothing (so "not empty" refuses it)', () => {
    expect(trim('\t')).toBe('');
    expect(trim(' \t \n')).toBe('');
    expect(trim(3)).toBe(3);
  });
});
