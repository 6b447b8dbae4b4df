import { appEnv } from './app.config';
import { authEnv } from './auth.config';
import { checkEnv, duration, flag, int, oneOf, readEnv, text } from './env-var';

describe('config schema', () => {
  const spec = {
    SIZE: int(1, 10, 3, 'a size'),
    NAME: text({ fallback: 'chat', pattern: /^[a-z]+$/, hint: 'lowercase' }, 'a name'),
    URL: text({ pattern: /^https:\/\/.+/ }, 'a URL'),
    MODE: oneOf(['a', 'b'], 'a', 'a mode'),
    ON: flag(false, 'a switch'),
    TTL: duration('15m', 'a lifetime', { positive: true }),
  };

  it('reads the fallback of each unset or empty variable, and converts the set ones', () => {
    expect(readEnv(spec, { SIZE: '', URL: undefined })).toEqual({
      SIZE: 3,
      NAME: 'chat',
      URL: null,
      MODE: 'a',
      ON: false,
      TTL: 900,
    });
    expect(
      readEnv(spec, { SIZE: '7', NAME: 'room', URL: 'https://x', MODE: 'b', ON: 'true', TTL: '2h' }),
    ).toEqual({ SIZE: 7, NAME: 'room', URL: 'https://x', MODE: 'b', ON: true, TTL: 7200 });
  });

  it('names each variable whose value it refuses', () => {
    const problems = checkEnv(spec, {
      SIZE: '11',
      NAME: 'Chat',
      URL: 'http://x',
      MODE: 'c',
      ON: 'yes',
      TTL: '0',
    });
    expect(problems.map((line) => line.split(' ')[0])).toEqual(['SIZE', 'NAME', 'URL', 'MODE', 'ON', 'TTL']);
    expect(checkEnv(spec, { SIZE: '10', TTL: '1s' })).toEqual([]);
  });

  it('applies the defaults the README documents', () => {
    const app = readEnv(appEnv, {});
    expect(app).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', LOG_LEVEL: 'info', ADMIN_UI_ENABLED: false });
    expect(readEnv(authEnv, {})).toMatchObject({
      JWT_TTL: 43_200,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_FAILURE_WINDOW: 900,
    });
  });
});
