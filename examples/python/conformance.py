#!/usr/bin/env python3
"""A client of the chat gateway in Python, written from the README and the AsyncAPI document only.

Drives every documented flow with python-socketio (Debian's python3-socketio 5.7) and requests:
handshake auth and its refusal, join, send and ack, receive on another connection, error acks,
catch-up by seq over REST, recovery with pid/offset after a dropped transport, token refresh.

    /usr/bin/python3 conformance.py http://127.0.0.1:3000

The gateway must run the default `redis-streams` adapter (connection state recovery). Prints one JSON
line per check passed; exits 1 with the reason at the first check that fails.
"""
import json
import socket
import sys
import threading
import time
import uuid

import requests
import socketio

WAIT_SECONDS = 10
BASE = sys.argv[1].rstrip('/') if len(sys.argv) > 1 else 'http://127.0.0.1:3000'


class CheckFailed(Exception):
    pass


def check(name, condition, detail=None):
    if not condition:
        raise CheckFailed(f'{name}: {json.dumps(detail, default=str)}')
    print(json.dumps({'check': name, 'ok': True}), flush=True)


def api(method, path, token=None, **kwargs):
    headers = {'authorization': f'Bearer {token}'} if token else {}
    response = requests.request(method, f'{BASE}/api{path}', headers=headers, timeout=WAIT_SECONDS, **kwargs)
    return response.status_code, (response.json() if response.content else None)


class ChatConnection:
    """One Socket.IO connection, with what the documents say a client must keep for recovery.

    - `pid`: the private session id in the server's CONNECT reply (`{"sid", "pid"}`).
    - `offset`: every server-to-client event ends with one extra string argument, the recovery offset
      of that event. A handler must accept it (or it fails with "takes 1 positional argument but 2
      were given"); the client keeps the last one.
    Reconnecting with auth `{token, pid, offset}` resumes the same session: the server replays the room
    events sent since that offset, and the socket keeps its rooms.
    python-socketio 5.7 does not implement this itself, hence `_handle_connect` below.
    """

    def __init__(self, token):
        self.token = token
        self.pid = None
        self.offset = None
        self.sid = None
        self.recovered = None
        self.events = []
        self.connect_errors = []
        self.changed = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio._handle_connect = self._handle_connect
        self.sio.on('*', self._on_event)
        self.sio.on('connect_error', self._on_connect_error)
        self.sio.on('disconnect', self._on_disconnect)
        self.disconnected = threading.Event()

    def auth(self):
        data = {'token': self.token}
        if self.pid is not None and self.offset is not None:
            data.update(pid=self.pid, offset=self.offset)
        return data

    def connect(self):
        self.disconnected.clear()
        # auth is a callable, read at each connect: the pid and offset are those of the moment.
        self.sio.connect(BASE, auth=self.auth, transports=['websocket'], wait_timeout=WAIT_SECONDS)

    def _handle_connect(self, namespace, data):
        data = data or {}
        self.recovered = self.sid is not None and data.get('sid') == self.sid
        self.sid = data.get('sid')
        self.pid = data.get('pid', self.pid)
        socketio.Client._handle_connect(self.sio, namespace, data)

    def _on_event(self, event, payload=None, offset=None):
        with self.changed:
            if isinstance(offset, str):
                self.offset = offset
            self.events.append((event, payload, offset))
            self.changed.notify_all()

    def _on_connect_error(self, data=None):
        self.connect_errors.append(data)

    def _on_disconnect(self):
        self.disconnected.set()

    def wait_for(self, event, predicate=lambda payload: True):
        deadline = time.monotonic() + WAIT_SECONDS
        with self.changed:
            while True:
                for name, payload, offset in self.events:
                    if name == event and predicate(payload):
                        return payload, offset
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CheckFailed(f'no {event} within {WAIT_SECONDS} s; got {[e[0] for e in self.events]}')
                self.changed.wait(remaining)

    def call(self, event, payload):
        return self.sio.call(event, payload, timeout=WAIT_SECONDS)

    def drop_transport(self):
        """Kills the TCP connection under the WebSocket, as a lost network does (no close frame)."""
        self.sio.eio.ws.sock.shutdown(socket.SHUT_RDWR)

    def close(self):
        if self.sio.connected:
            self.sio.disconnect()


def register(prefix):
    name = f'{prefix}_{uuid.uuid4().hex[:10]}'
    status, body = api('POST', '/auth/register', json={'username': name, 'password': 'correct horse battery'})
    check(f'register {prefix}', status == 201 and 'accessToken' in body, body)
    return body


def main():
    alice_auth, bob_auth = register('py_alice'), register('py_bob')

    # Handshake: the token in the CONNECT packet's auth; a bad one is refused with the error code.
    refused = ChatConnection('not-a-token')
    try:
        refused.connect()
        check('handshake refused', False, 'connected with a bad token')
    except socketio.exceptions.ConnectionError:
        error = refused.connect_errors[-1] if refused.connect_errors else None
        check(
            'handshake refused',
            isinstance(error, dict) and error.get('message') == 'UNAUTHORIZED'
            and error.get('data', {}).get('code') == 'UNAUTHORIZED',
            error,
        )

    alice, bob = ChatConnection(alice_auth['accessToken']), ChatConnection(bob_auth['accessToken'])
    try:
        alice.connect()
        session, offset = alice.wait_for('session')
        check('handshake', session['userId'] == alice_auth['user']['id'] and alice.pid is not None, session)
        check('broadcasts end with a string offset', isinstance(offset, str) and offset != '', offset)
        bob.connect()
        bob.wait_for('session')

        status, room = api('POST', '/rooms', alice_auth['accessToken'], json={'name': 'python', 'visibility': 'public'})
        check('create room', status == 201, room)
        room_id = room['id']
        for who in (alice, bob):
            ack = who.call('room:join', {'roomId': room_id})
            check('join', ack.get('ok') is True and ack['lastSeq'] == 0 and ack['room']['id'] == room_id, ack)

        client_msg_id = str(uuid.uuid4())
        ack = alice.call('message:send', {'roomId': room_id, 'body': 'hello from python', 'clientMsgId': client_msg_id})
        check('send and ack', ack.get('ok') is True and ack['message']['seq'] == 1 and ack['duplicate'] is False, ack)
        message, offset = bob.wait_for('message:new', lambda m: m['seq'] == 1)
        check('receive on another connection', message['body'] == 'hello from python' and isinstance(offset, str), message)
        again = alice.call('message:send', {'roomId': room_id, 'body': 'hello from python', 'clientMsgId': client_msg_id})
        check('resend is idempotent', again.get('ok') is True and again['duplicate'] is True
              and again['message']['id'] == ack['message']['id'], again)

        # Error acks: {ok: false, error: {code, message, fields?}}, never an exception or a silence.
        empty = alice.call('message:send', {'roomId': room_id, 'body': '', 'clientMsgId': str(uuid.uuid4())})
        check('error ack VALIDATION', empty.get('ok') is False and empty['error']['code'] == 'VALIDATION'
              and 'body' in empty['error'].get('fields', {}), empty)
        unknown_room = alice.call('room:join', {'roomId': str(uuid.uuid4())})
        check('error ack NOT_FOUND', unknown_room.get('ok') is False and unknown_room['error']['code'] == 'NOT_FOUND',
              unknown_room)
        unknown_event = alice.call('room:explode', {'roomId': room_id})
        check('error ack for an unknown event', unknown_event.get('ok') is False
              and unknown_event['error']['code'] == 'NOT_FOUND', unknown_event)

        # Catch-up: seqs are contiguous per room; whatever came after the last one seen is in history.
        for body in ('two', 'three', 'four'):
            sent = alice.call('message:send', {'roomId': room_id, 'body': body, 'clientMsgId': str(uuid.uuid4())})
            check('send', sent.get('ok') is True, sent)
        status, page = api('GET', f'/rooms/{room_id}/messages', bob_auth['accessToken'], params={'after': 1})
        check('catch up by after=', status == 200 and [m['seq'] for m in page['messages']] == [2, 3, 4]
              and page['hasMore'] is False, page)
        bob.wait_for('message:new', lambda m: m['seq'] == 4)

        # Recovery: the transport dies; what is sent meanwhile is replayed on reconnect with pid + offset.
        bob.drop_transport()
        check('transport dropped', bob.disconnected.wait(WAIT_SECONDS))
        alice.wait_for('presence', lambda p: p['userId'] == bob_auth['user']['id'] and p['online'] is False)
        sent = alice.call('message:send', {'roomId': room_id, 'body': 'while you were away', 'clientMsgId': str(uuid.uuid4())})
        check('send while the other is away', sent.get('ok') is True and sent['message']['seq'] == 5, sent)
        bob.connect()
        check('session recovered with pid and offset', bob.recovered is True, {'sid': bob.sid})
        missed, _ = bob.wait_for('message:new', lambda m: m['seq'] == 5)
        check('missed message replayed without joining again', missed['body'] == 'while you were away', missed)

        # Token refresh: a fresh token over REST, handed to the open connection.
        status, renewed = api('POST', '/auth/refresh', alice_auth['accessToken'])
        check('refresh over REST', status in (200, 201) and 'accessToken' in renewed, renewed)
        alice.token = renewed['accessToken']
        refreshed = alice.call('auth:refresh', {'token': renewed['accessToken']})
        check('auth:refresh on the open connection', refreshed.get('ok') is True and 'expiresAt' in refreshed, refreshed)
        foreign = alice.call('auth:refresh', {'token': bob_auth['accessToken']})
        check('auth:refresh refuses another user\'s token', foreign.get('ok') is False, foreign)

        # Threads, mentions and reactions: a reply carries its root's counters; a mention reaches the
        # user's connection whether or not it joined the room; reactions are acked and broadcast.
        root = alice.call('message:send', {'roomId': room_id, 'body': 'a question', 'clientMsgId': str(uuid.uuid4())})
        root_id = root['message']['id']
        reply = bob.call('message:send', {
            'roomId': room_id,
            'body': f"@{alice_auth['user']['username']} an answer",
            'clientMsgId': str(uuid.uuid4()),
            'threadRootId': root_id,
        })
        check('reply in a thread', reply.get('ok') is True and reply['message']['threadRootId'] == root_id
              and reply['message']['threadRoot']['replyCount'] == 1, reply)
        heard, _ = alice.wait_for('message:new', lambda m: m['id'] == reply['message']['id'])
        check('a reply carries its root\'s counters', heard['threadRoot']['replyCount'] == 1, heard)
        mention, _ = alice.wait_for('mention', lambda e: e['messageId'] == reply['message']['id'])
        check('mention event', mention['reason'] == 'mention' and mention['seq'] == reply['message']['seq'], mention)
        nested = alice.call('message:send', {
            'roomId': room_id, 'body': 'deeper', 'clientMsgId': str(uuid.uuid4()), 'threadRootId': reply['message']['id'],
        })
        check('error ack INVALID_THREAD_ROOT', nested.get('ok') is False
              and nested['error']['code'] == 'INVALID_THREAD_ROOT', nested)
        reacted = alice.call('reaction:add', {'messageId': root_id, 'emoji': '\U0001F44D'})
        check('reaction:add', reacted.get('ok') is True and reacted['changed'] is True
              and reacted['reactions'] == [{'emoji': '\U0001F44D', 'count': 1, 'userIds': [alice_auth['user']['id']]}], reacted)
        event, _ = bob.wait_for('message:reactions', lambda e: e['messageId'] == root_id)
        check('message:reactions on another connection', event['added'] is True and event['version'] >= 1, event)
        status, thread = api('GET', f'/rooms/{room_id}/messages', bob_auth['accessToken'], params={'threadRootId': root_id})
        check('thread page', status == 200
              and [m['id'] for m in thread['messages']] == [root_id, reply['message']['id']]
              and thread['messages'][0]['reactions'][0]['count'] == 1, thread)
    finally:
        alice.close()
        bob.close()


if __name__ == '__main__':
    try:
        main()
    except CheckFailed as failure:
        print(json.dumps({'check': str(failure), 'ok': False}), flush=True)
        sys.exit(1)
