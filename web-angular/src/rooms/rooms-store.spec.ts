import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { MyRoom } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { ChatConnection } from '../realtime/chat-connection';
import { ChatApi } from '../shared/chat-api';
import { myRoom } from '../testing/messages';
import { RoomsStore } from './rooms-store';

describe('RoomsStore mutations', () => {
  let listed: MyRoom[];
  const http = {
    myRooms: jest.fn(async () => listed),
    createRoom: jest.fn(async () => {
      listed = [...listed, myRoom('new-room')];
      return myRoom('new-room');
    }),
    joinRoom: jest.fn(async () => {
      listed = [...listed, myRoom('joined')];
      return myRoom('joined');
    }),
    leaveRoom: jest.fn(async () => undefined),
  };
  const connection = {
    watch: jest.fn(),
    unwatch: jest.fn(),
    messages: new Subject(),
    updates: new Subject(),
    mentions: new Subject(),
    roomsAdded: new Subject(),
    roomsRemoved: new Subject(),
    roomsUpdated: new Subject(),
    reconnected: new Subject(),
  };

  function createStore(): RoomsStore {
    listed = [myRoom('room-1')];
    TestBed.configureTestingModule({
      providers: [
        { provide: ChatApi, useValue: { http } },
        { provide: ChatConnection, useValue: connection },
        { provide: AuthStore, useValue: { user: signal({ id: 'alice' }) } },
      ],
    });
    return TestBed.inject(RoomsStore);
  }

  afterEach(() => jest.clearAllMocks());

  it('creates and joins rooms, resolving once they are listed and watched', async () => {
    const store = createStore();
    const room = await store.create({ name: 'new-room', visibility: 'public', capacity: null });
    expect(room.id).toBe('new-room');
    await store.join('joined');
    expect(http.joinRoom).toHaveBeenCalledWith('joined');
    expect(store.rooms().map((r) => r.id)).toEqual(expect.arrayContaining(['room-1', 'new-room', 'joined']));
    expect(connection.watch).toHaveBeenCalledWith('joined', 0);
  });

  it('on leave stops the room live events and drops it from the list at once', async () => {
    const store = createStore();
    await store.load();
    await store.leave('room-1');
    expect(http.leaveRoom).toHaveBeenCalledWith('room-1');
    expect(connection.unwatch).toHaveBeenCalledWith('room-1');
    expect(store.rooms()).toEqual([]);
  });

  it('fails a join the server accepted but that does not show among the rooms', async () => {
    const store = createStore();
    http.joinRoom.mockResolvedValueOnce(myRoom('ghost'));
    await expect(store.join('ghost')).rejects.toThrow('not among your rooms');
  });
});
