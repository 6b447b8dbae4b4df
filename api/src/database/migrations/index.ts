import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { Bans1764000000000 } from './1764000000000-bans';
import { AuthSessions1764100000000 } from './1764100000000-auth-sessions';

/** In order. Listed explicitly so the build, the tests and the CLI all run the same set. */
export const migrations = [InitialSchema1763900000000, Bans1764000000000, AuthSessions1764100000000];
