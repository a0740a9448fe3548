import { sqlLiteral, sqlRows } from './sql-literal.js';

describe('SQL literals', () => {
  it('quote strings so they read the same with or without NO_BACKSLASH_ESCAPES', () => {
    expect(sqlLiteral('[[1,null,"169.254.0.1"]]')).toBe(`'[[1,null,"169.254.0.1"]]'`);
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("'; DROP TABLE vpc_routes; --")).toBe("'''; DROP TABLE vpc_routes; --'");
    expect(sqlLiteral('line\none')).toBe("'line\none'");
    // A backslash means different things in the two modes: hex says the bytes.
    expect(sqlLiteral('a\\b')).toBe("_utf8mb4 X'615c62'");
    expect(sqlLiteral("\0'")).toBe("_utf8mb4 X'0027'");
    expect(sqlLiteral('é\x1a')).toBe("_utf8mb4 X'c3a91a'");
  });

  it('write numbers, big integers, booleans and NULL bare, and refuse what has no literal', () => {
    expect(sqlLiteral(-1)).toBe('-1');
    expect(sqlLiteral(2 ** 32 - 1)).toBe('4294967295');
    expect(sqlLiteral(18446744073709551615n)).toBe('18446744073709551615');
    expect(sqlLiteral(true)).toBe('1');
    expect(sqlLiteral(null)).toBe('NULL');
    expect(() => sqlLiteral(Number.NaN)).toThrow('NaN has no SQL literal');
    expect(() => sqlLiteral(undefined as unknown as null)).toThrow('a undefined has no SQL literal');
  });

  it('join rows into a VALUES list', () => {
    expect(
      sqlRows([
        [1, 'a'],
        [2, null],
      ]),
    ).toBe("(1,'a'),(2,NULL)");
    expect(sqlRows([])).toBe('');
  });
});
