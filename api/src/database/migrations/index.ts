import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { Bans1764000000000 } from './1764000000000-bans';
import { AuthSessions1764100000000 } from './1764100000000-auth-sessions';
import { Bots1764200000000 } from './1764200000000-bots';
import { Webhooks1764300000000 } from './1764300000000-webhooks';
import { Conversations1765000000000 } from './1765000000000-conversations';
import { Attachments1765100000000 } from './1765100000000-attachments';
import { Search1765200000000 } from './1765200000000-search';
import { SearchRoomIndex1765200000001 } from './1765200000001-search-room-index';
import { RoomAdmin1765300000000 } from './1765300000000-room-admin';
import { BotKeyKind1765400000000 } from './1765400000000-bot-key-kind';

/** In order. Listed explicitly so the build, the tests and the CLI all run the same set. */
export const migrations = [
  InitialSchema1763900000000,
  Bans1764000000000,
  AuthSessions1764100000000,
  Bots1764200000000,
  Webhooks1764300000000,
  Conversations1765000000000,
  Attachments1765100000000,
  Search1765200000000,
  SearchRoomIndex1765200000001,
  RoomAdmin1765300000000,
  BotKeyKind1765400000000,
];
