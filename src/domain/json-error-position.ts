// Finds where a JSON text stops being valid, because V8's own message does not always say (e.g. "Unexpected token").

export interface JsonErrorPosition {
  /** Offset of the first character that cannot continue a valid JSON text (the length, if it ends too early). */
  position: number;
  line: number;
  column: number;
}

class Stop {
  constructor(readonly at: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Null when the text is valid JSON; otherwise where it breaks, with 1-based line and column. */
export function locateJsonError(text: string): JsonErrorPosition | null {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i += 1;
  };
  const expect = (char: string) => {
    if (text[i] !== char) throw new Stop(i);
    i += 1;
  };
  const string = () => {
    expect('"');
    while (i < text.length) {
      const char = text[i]!;
      if (char === '"') return void (i += 1);
      if (char === '\\') {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!HEX4.test(text.slice(i + 2, i + 6))) throw new Stop(i);
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 2;
        else throw new Stop(i + 1);
      } else if (char.charCodeAt(0) < 0x20) throw new Stop(i);
      else i += 1;
    }
    throw new Stop(text.length);
  };
  const members = (close: string, member: () => void) => {
    i += 1;
    skipSpace();
    if (text[i] === close) return void (i += 1);
    for (;;) {
      member();
      skipSpace();
      if (text[i] === ',') {
        i += 1;
        skipSpace();
        continue;
      }
      return expect(close);
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text[i];
    if (char === '{') {
      return members('}', () => {
        string();
        skipSpace();
        expect(':');
        value();
      });
    }
    if (char === '[') return members(']', value);
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) return void (i += literal.length);
    }
    NUMBER.lastIndex = i;
    if (NUMBER.exec(text)) return void (i = NUMBER.lastIndex);
    throw new Stop(i);
  };

  try {
    value();
    skipSpace();
    if (i < text.length) throw new Stop(i);
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.at);
    const line = before.split('\n').length;
    return { position: error.at, line, column: error.at - before.lastIndexOf('\n') };
  }
}
