import type { ConfigService } from '@nestjs/config';
import type { DataSource } from 'typeorm';

import { InsertedMessageRow, MessageToInsert, MessageWriter } from './message-writer';

const ROOM_A = '00000000-0000-4000-8000-00000000000a';
const ROOM_B = '00000000-0000-4000-8000-00000000000b';
const ROOM_C = '00000000-0000-4000-8000-00000000000c';
const ROOM_D = '00000000-0000-4000-8000-00000000000d';
const ROOM_E = '00000000-0000-4000-8000-00000000000e';

const message = (roomId: string, senderId: string, clientMsgId: string): MessageToInsert => ({
  roomId,
  senderId,
  body: `body of ${clientMsgId}`,
  clientMsgId,
  threadRootId: null,
  mentionedUsernames: [],
});

const rowOf = (m: MessageToInsert, seq: number): InsertedMessageRow => ({
  id: `id-${m.clientMsgId}`,
  room_id: m.roomId,
  seq,
  sender_id: m.senderId,
  body: m.body,
  client_msg_id: m.clientMsgId,
  instance_id: 'test',
  created_at: new Date(0),
  edited_at: null,
  deleted_at: null,
  thread_root_id: null,
  reply_count: 0,
  last_reply_at: null,
  mentions: [],
});

interface Deferred {
  resolve(): void;
}

/** Records what the writer asks of the database; each batch can be held open or made to fail. */
class FakeDatabase {
  readonly single: MessageToInsert[] = [];
  readonly batches: MessageToInsert[][] = [];
  readonly lockedRooms: string[][] = [];
  failSingle = new Map<string, unknown>();
  failNextBatch: unknown = null;
  holdBatches = false;
  readonly held: Deferred[] = [];
  private seq = 0;

  readonly dataSource = {
    query: async (_sql: string, params: unknown[]) => {
      const [roomId, senderId, body, clientMsgId, , threadRootId, mentionedUsernames] = params as [
        string,
        string,
        string,
        string,
        string,
        string | null,
        string[],
      ];
      const m = { roomId, senderId, body, clientMsgId, threadRootId, mentionedUsernames };
      this.single.push(m);
      const failure = this.failSingle.get(clientMsgId);
      if (failure) throw failure;
      return [rowOf(m, ++this.seq)];
    },
    transaction: async <T>(work: (manager: unknown) => Promise<T>): Promise<T> => {
      if (this.holdBatches) await new Promise<void>((resolve) => this.held.push({ resolve }));
      if (this.failNextBatch) {
        const failure = this.failNextBatch;
        this.failNextBatch = null;
        throw failure;
      }
      return work({ query: (sql: string, params: unknown[]) => this.batchQuery(sql, params) });
    },
    /** Outside a transaction: a batch of one room is a statement of its own. */
    manager: {
      query: async (sql: string, params: unknown[]) => {
        // The single-row statement (its first parameter is one room id, not an array of them).
        if (!Array.isArray(params[0])) return this.dataSource.query(sql, params);
        if (this.holdBatches) await new Promise<void>((resolve) => this.held.push({ resolve }));
        if (this.failNextBatch) {
          const failure = this.failNextBatch;
          this.failNextBatch = null;
          throw failure;
        }
        this.unwrapped++;
        return this.batchQuery(sql, params);
      },
    },
  };

  /** Batches written as a statement of their own, without a transaction (and its room locks). */
  unwrapped = 0;
  /** clientMsgIds the batch statement does not store (not a member, already stored). */
  readonly skipped = new Set<string>();

  private batchQuery(sql: string, params: unknown[]) {
    if (sql.includes('FOR UPDATE')) {
      this.lockedRooms.push(params[0] as string[]);
      return [];
    }
    const [roomIds, senderIds, bodies, clientMsgIds, , threadRootIds, mentionLiterals] = params as [
      string[],
      string[],
      string[],
      string[],
      string,
      (string | null)[],
      string[],
    ];
    const batch = roomIds.map((roomId, i) => ({
      roomId,
      senderId: senderIds[i],
      body: bodies[i],
      clientMsgId: clientMsgIds[i],
      threadRootId: threadRootIds[i],
      mentionedUsernames: mentionLiterals[i].slice(1, -1).split(',').filter(Boolean),
    }));
    this.batches.push(batch);
    return batch.filter((m) => !this.skipped.has(m.clientMsgId)).map((m) => rowOf(m, ++this.seq));
  }
}

const config = { get: () => 'test' } as unknown as ConfigService<never, true>;

function writerOn(db: FakeDatabase): MessageWriter {
  return new MessageWriter(db.dataSource as unknown as DataSource, config as never, {} as never);
}

const uniqueViolation = Object.assign(new Error('duplicate key'), {
  code: '23505',
  constraint: 'messages_sender_id_client_msg_id_key',
});

describe('MessageWriter (group commit)', () => {
  it('writes a message that arrives alone with the single-row statement', async () => {
    const db = new FakeDatabase();
    const m = message(ROOM_A, 'alice', 'c1');
    const row = await writerOn(db).insert(m);
    expect(row?.client_msg_id).toBe('c1');
    expect(db.single).toEqual([m]);
    expect(db.batches).toEqual([]);
  });

  it('stores messages that arrive together in one transaction, in arrival order, locking rooms sorted', async () => {
    const db = new FakeDatabase();
    const writer = writerOn(db);
    const sent = [message(ROOM_B, 'bob', 'b1'), message(ROOM_A, 'alice', 'a1'), message(ROOM_B, 'bob', 'b2')];
    const rows = await Promise.all(sent.map((m) => writer.insert(m)));
    expect(db.batches).toEqual([sent]);
    expect(db.lockedRooms).toEqual([[ROOM_A, ROOM_B]]);
    expect(rows.map((row) => row?.client_msg_id)).toEqual(['b1', 'a1', 'b2']);
  });

  it("hands each message's thread root and mentioned names to the batch statement", async () => {
    const db = new FakeDatabase();
    const writer = writerOn(db);
    const sent = [
      { ...message(ROOM_A, 'alice', 'a1'), threadRootId: 'root-1', mentionedUsernames: ['bob', 'c.d-e'] },
      message(ROOM_A, 'bob', 'b1'),
      { ...message(ROOM_B, 'carol', 'c1'), mentionedUsernames: ['alice'] },
    ];
    await Promise.all(sent.map((m) => writer.insert(m)));
    expect(db.batches).toEqual([sent]);
  });

  it('answers undefined for a message the batch did not store (not a member, or already stored)', async () => {
    const db = new FakeDatabase();
    db.skipped.add('skipped');
    const writer = writerOn(db);
    const [kept, skipped] = await Promise.all([
      writer.insert(message(ROOM_A, 'alice', 'kept')),
      writer.insert(message(ROOM_A, 'mallory', 'skipped')),
    ]);
    expect(kept?.client_msg_id).toBe('kept');
    expect(skipped).toBeUndefined();
  });

  it('writes a batch of one room as one statement, without a transaction; several rooms are locked in one', async () => {
    const db = new FakeDatabase();
    const writer = writerOn(db);
    await Promise.all([
      writer.insert(message(ROOM_A, 'alice', 'a1')),
      writer.insert(message(ROOM_A, 'bob', 'a2')),
    ]);
    expect(db.unwrapped).toBe(1);
    expect(db.lockedRooms).toEqual([]);

    await Promise.all([
      writer.insert(message(ROOM_B, 'alice', 'b1')),
      writer.insert(message(ROOM_A, 'bob', 'a3')),
    ]);
    expect(db.unwrapped).toBe(1);
    expect(db.lockedRooms).toEqual([[ROOM_A, ROOM_B]]);
  });

  it('never puts the same sender and clientMsgId twice in one batch: the retry waits for the next one', async () => {
    const db = new FakeDatabase();
    const writer = writerOn(db);
    const first = message(ROOM_A, 'alice', 'same');
    const other = message(ROOM_A, 'bob', 'other');
    await Promise.all([writer.insert(first), writer.insert(other), writer.insert({ ...first })]);
    expect(db.batches).toEqual([[first, other]]);
    expect(db.single).toEqual([first]);
  });

  it('retries each message on its own when one of them aborts the batch, so the others are stored', async () => {
    const db = new FakeDatabase();
    const writer = writerOn(db);
    db.failNextBatch = uniqueViolation;
    db.failSingle.set('raced', uniqueViolation);
    const [raced, fine] = await Promise.all([
      writer.insert(message(ROOM_A, 'alice', 'raced')),
      writer.insert(message(ROOM_B, 'bob', 'fine')),
    ]);
    expect(raced).toBeUndefined();
    expect(fine?.client_msg_id).toBe('fine');
    expect(db.single.map((m) => m.clientMsgId)).toEqual(['raced', 'fine']);
  });

  it('fails every message of the batch, without retrying, when the database is unreachable', async () => {
    const db = new FakeDatabase();
    const writer = writerOn(db);
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    db.failNextBatch = outage;
    const results = await Promise.allSettled([
      writer.insert(message(ROOM_A, 'alice', 'x1')),
      writer.insert(message(ROOM_A, 'alice', 'x2')),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: outage },
      { status: 'rejected', reason: outage },
    ]);
    expect(db.single).toEqual([]);
  });

  it('keeps at most four batches in flight and gathers what arrives meanwhile into the next one', async () => {
    const db = new FakeDatabase();
    db.holdBatches = true;
    const writer = writerOn(db);
    const pending: Promise<unknown>[] = [];
    // Four bursts, each its own batch of two in a room of its own, occupy every slot.
    const rooms = [ROOM_A, ROOM_B, ROOM_C, ROOM_D];
    for (const [burst, room] of rooms.entries()) {
      pending.push(writer.insert(message(room, 'alice', `p${burst}a`)));
      pending.push(writer.insert(message(room, 'bob', `p${burst}b`)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < 5; i++) pending.push(writer.insert(message(ROOM_E, 'carol', `later${i}`)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.held).toHaveLength(4);

    db.holdBatches = false;
    db.held.forEach((batch) => batch.resolve());
    await Promise.all(pending);
    expect(db.batches.map((batch) => batch.length)).toEqual([2, 2, 2, 2, 5]);
  });

  it('never has one room in two batches at once: its later messages wait, other rooms go ahead', async () => {
    const db = new FakeDatabase();
    db.holdBatches = true;
    const writer = writerOn(db);
    const first = [
      writer.insert(message(ROOM_A, 'alice', 'a1')),
      writer.insert(message(ROOM_A, 'bob', 'a2')),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.held).toHaveLength(1);

    // While room A's batch is open: more for A, and messages for B.
    const second = [
      writer.insert(message(ROOM_A, 'alice', 'a3')),
      writer.insert(message(ROOM_B, 'carol', 'b1')),
      writer.insert(message(ROOM_B, 'dave', 'b2')),
      writer.insert(message(ROOM_A, 'bob', 'a4')),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    // B's messages went ahead in a batch of their own; A's wait although slots are free.
    expect(db.held).toHaveLength(2);

    db.holdBatches = false;
    db.held[1].resolve();
    await Promise.all(second.slice(1, 3));
    expect(db.batches.map((batch) => batch.map((m) => m.clientMsgId))).toEqual([['b1', 'b2']]);

    db.held[0].resolve();
    await Promise.all([...first, ...second]);
    // A's later messages went in after its first batch, in arrival order.
    expect(db.batches.map((batch) => batch.map((m) => m.clientMsgId))).toEqual([
      ['b1', 'b2'],
      ['a1', 'a2'],
      ['a3', 'a4'],
    ]);
  });
});

describe('MessageWriter.write (how a message ended)', () => {
  /** The writer on a database that stores nothing, and answers the follow-up lookups as given. */
  function refusingWriter(lookups: { original?: object; roomExists: boolean }) {
    const sql: string[] = [];
    const query = async (text: string) => {
      sql.push(text);
      if (text.includes('INSERT INTO messages')) return [];
      if (text.includes('client_msg_id = $2')) return lookups.original ? [lookups.original] : [];
      return lookups.roomExists ? [{ '?column?': 1 }] : [];
    };
    const dataSource = { query, manager: { query } };
    return {
      writer: new MessageWriter(dataSource as unknown as DataSource, config as never, {} as never),
      sql,
    };
  }

  it('answers stored with the row when the message was written', async () => {
    const db = new FakeDatabase();
    const result = await writerOn(db).write(message(ROOM_A, 'alice', 'c1'));
    expect(result).toMatchObject({ kind: 'stored', row: { client_msg_id: 'c1' } });
  });

  it('answers duplicate with the stored original when the pair exists', async () => {
    const original = { id: 'first', room_id: ROOM_A, client_msg_id: 'c1', sender_username: 'alice' };
    const { writer } = refusingWriter({ original, roomExists: true });
    await expect(writer.write(message(ROOM_A, 'alice', 'c1'))).resolves.toEqual({
      kind: 'duplicate',
      original,
    });
  });

  it('answers notMember, saying whether the room exists at all', async () => {
    const member = refusingWriter({ roomExists: true });
    await expect(member.writer.write(message(ROOM_A, 'mallory', 'c1'))).resolves.toEqual({
      kind: 'notMember',
      roomExists: true,
    });
    const noRoom = refusingWriter({ roomExists: false });
    await expect(noRoom.writer.write(message(ROOM_A, 'mallory', 'c1'))).resolves.toEqual({
      kind: 'notMember',
      roomExists: false,
    });
  });
});
