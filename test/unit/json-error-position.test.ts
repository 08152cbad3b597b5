import { locateJsonError } from '../../src/domain/json-error-position';

describe('locating a JSON syntax error', () => {
  it.each([
    ['{"type": "contact.created", "data": }', 36],
    ['{"a":1,}', 7],
    ['{a:1}', 1],
    ['[1,2', 4],
    ['{"x": tru}', 6],
    ['{"x": 01}', 7],
    ['{"x": "a\\qb"}', 9],
    ['{"x": 1} trailing', 9],
    ['', 0],
  ])('finds where %j breaks: position %i', (text, position) => {
    expect(locateJsonError(text)?.position).toBe(position);
  });

  it('gives the line and column of the break', () => {
    expect(locateJsonError('{\n  "a": 1,\n  "b": ]\n}')).toEqual({ position: 19, line: 3, column: 8 });
  });

  it.each(['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\u00e9"]}', ' "text" ', '0'])('accepts valid JSON %j', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(locateJsonError(text)).toBeNull();
  });
});
