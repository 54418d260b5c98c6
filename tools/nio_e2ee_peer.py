#!/usr/bin/env python3
"""nio_e2ee_peer.py -- an independent end-to-end-encrypting Matrix client, built on matrix-nio,
for matrixlib's E2EE interop tests.

Unlike nio_peer.py, this peer keeps its device: the account, its Olm/Megolm sessions and the
sync token live in the store directory (--store DIR), so several commands in a row act as one
device, and a device restarted from its store still decrypts. Only `logout` ends the device.
Every device it learns about is trusted (marked verified); there is no interactive
verification. Output on stdout is JSON, one object a line; diagnostics go to stderr.

  nio_e2ee_peer.py -u USER -p PW --store DIR login
      register USER (m.login.dummy) or log in, or reuse the device saved in DIR; upload the
      device keys and one-time keys; prints {"user_id", "device_id", "registered",
      "restored", "curve25519", "ed25519"}
  nio_e2ee_peer.py ... keys
      the same line for the device in DIR, with no sync
  nio_e2ee_peer.py ... create-room [--invite USER_ID ...] [--name NAME]
                                   [--rotation-msgs N] [--rotation-ms MS]
      create a private room that is encrypted from the start (m.megolm.v1.aes-sha2);
      prints {"room_id"}
  nio_e2ee_peer.py ... join [--room ROOM]
      join ROOM, or accept the first invite that comes; prints {"room_id"}
  nio_e2ee_peer.py ... send [--room ROOM] [--count N] [--body TEMPLATE]
      join ROOM (or accept the first invite), trust every member's devices, send N encrypted
      m.text messages ("{i}" in TEMPLATE becomes 1..N); prints {"room_id", "event_id",
      "body", "session_id"} for each (session_id: the outbound Megolm session)
  nio_e2ee_peer.py ... wait --from USER_ID (--expect BODY ... | --count N) [--room ROOM]
                            [--allow-plaintext]
      accept invites (only to ROOM if given), sync until every expected body from USER_ID
      has arrived decrypted (or N such messages) and print {"room_id", "event_id", "sender",
      "body", "origin_server_ts", "decrypted", "verified", "session_id", "sender_key",
      "late"} for each ("late": its key came after the event). Unencrypted messages are not
      counted unless --allow-plaintext. Messages that other commands of this device saw
      first are kept in DIR and count too, each reported once.
  nio_e2ee_peer.py ... devices [--user USER_ID ...]
      query and trust the devices of the users (default: everyone in our rooms); prints
      {"user_id", "device_id", "curve25519", "ed25519", "trust", "deleted"} for each
  nio_e2ee_peer.py ... to-device --from USER_ID [--count N]
      sync until N (default 1) Olm-encrypted to-device events from USER_ID were decrypted
      (nio decrypts m.dummy, m.room_key and m.forwarded_room_key; other types it drops);
      prints {"type", "sender", "sender_key"} for each. Added by matrixlib.
  nio_e2ee_peer.py ... send-file [--room ROOM] --path FILE
      upload FILE encrypted with nio's own attachment encryption and send it as m.file into
      the room (as send does); prints {"room_id", "event_id", "url", "body"}. Added by
      matrixlib.
  nio_e2ee_peer.py ... wait-file --from USER_ID --out DIR
      sync until an encrypted m.file from USER_ID arrives, download it, decrypt it with nio
      and write it into DIR under its name; prints {"event_id", "path", "size",
      "decrypted"}. Added by matrixlib.
  nio_e2ee_peer.py ... logout
      log the device out (the server deletes its keys) and forget it in DIR

Exit status: 0 done, 1 timed out, 2 could not register or log in, 3 other error from the
server, 4 a message could not be decrypted before the timeout (wait only; stderr says which).

It needs matrix-nio with its e2e extra (vodozemac bindings). Started by a Python without it,
it runs itself again under the venv that install-nio-e2ee.sh made ($NIO_E2EE_VENV, else the
default cache location), or under start-synapse.sh's venv if that one has nio's e2e extra.
"""
import argparse
import asyncio
import glob
import json
import logging
import os
import sys
import time
from collections import Counter

NIO_VERSION = "0.26.0"


def reexec_in_venv():
    """Without matrix-nio[e2e] here, run again under a venv that has it."""
    if os.environ.get("NIO_E2EE_PEER_REEXEC"):
        return
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    venvs = [os.environ.get("NIO_E2EE_VENV", ""),
             os.path.join(cache, "matrixlib", f"nio-e2ee-venv-{NIO_VERSION}"),
             os.environ.get("SYNAPSE_VENV", "")]
    venvs += sorted(glob.glob(os.path.join(cache, "matrixlib", "nio-e2ee-venv-*")), reverse=True)
    venvs += sorted(glob.glob(os.path.join(cache, "matrixlib", "synapse-venv-*")), reverse=True)
    for venv in filter(None, venvs):
        site = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages"))
        if site and os.path.isdir(os.path.join(site[0], "nio")) \
                and os.path.isdir(os.path.join(site[0], "vodozemac")):
            python = os.path.join(venv, "bin", "python")
            os.environ["NIO_E2EE_PEER_REEXEC"] = "1"
            os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


try:
    import vodozemac  # noqa: F401  (nio's e2e extra; without it nio runs unencrypted)
    from nio import (AsyncClient, AsyncClientConfig, DummyEvent, ForwardedRoomKeyEvent,
                     JoinResponse, LoginResponse, MegolmEvent, RegisterResponse,
                     RoomCreateResponse, RoomEncryptedFile, RoomKeyEvent, RoomMessageText,
                     RoomSendResponse, SyncResponse, UploadResponse)
    from nio.crypto.attachments import decrypt_attachment
    from nio.store import SqliteStore
except ImportError:
    reexec_in_venv()
    sys.exit("nio_e2ee_peer: matrix-nio[e2e] is not installed for this Python; run "
             "install-nio-e2ee.sh, or pip install 'matrix-nio[e2e]'")

DONE, TIMED_OUT, AUTH_FAILED, SERVER_ERROR, UNDECRYPTABLE = 0, 1, 2, 3, 4
MEGOLM = "m.megolm.v1.aes-sha2"
SYNC_FILTER = {"room": {"timeline": {"limit": 100}}}


class PeerExit(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def emit(**fields):
    print(json.dumps(fields), flush=True)


def note(message):
    print(f"nio_e2ee_peer: {message}", file=sys.stderr, flush=True)


class Store:
    """The files this peer keeps in DIR beside nio's own SQLite store."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        os.makedirs(self.path, exist_ok=True)

    def file(self, name):
        return os.path.join(self.path, name)

    def read_json(self, name, default):
        try:
            with open(self.file(name)) as f:
                return json.load(f)
        except FileNotFoundError:
            return default

    def write_json(self, name, value):
        tmp = self.file(name + ".tmp")
        with open(tmp, "w") as f:
            json.dump(value, f)
        os.replace(tmp, self.file(name))


class Peer:
    def __init__(self, args):
        self.args = args
        self.store = Store(args.store)
        self.deadline = time.monotonic() + args.timeout
        self.room = getattr(args, "room", None)
        config = AsyncClientConfig(encryption_enabled=True, store=SqliteStore,
                                   store_sync_tokens=True, pickle_key=args.pickle_key)
        self.client = AsyncClient(args.homeserver.rstrip("/"), args.user,
                                  store_path=self.store.path, config=config)
        self.first_sync = True
        # Decrypted (or plain) messages from others that no `wait` has reported yet, and
        # encrypted events still waiting for their key; both survive between commands.
        self.inbox = self.store.read_json("inbox.json", [])
        self.pending = self.store.read_json("pending.json", [])

    # ---- signing in ------------------------------------------------------------------
    async def sign_in(self):
        """Reuse the saved device, or register, or log in. Returns (registered, restored)."""
        creds = self.store.read_json("credentials.json", None)
        if creds and creds.get("homeserver") == self.client.homeserver \
                and creds.get("user") == self.args.user:
            self.client.restore_login(creds["user_id"], creds["device_id"],
                                      creds["access_token"])
            return False, True
        localpart = self.args.user[1:].split(":", 1)[0] if self.args.user.startswith("@") \
            else self.args.user
        r = await self.client.register(localpart, self.args.password,
                                       device_name=self.args.device_name)
        registered = isinstance(r, RegisterResponse)
        if not registered:
            if getattr(r, "status_code", None) != "M_USER_IN_USE":
                raise PeerExit(AUTH_FAILED, f"register failed: {r}")
            r = await self.client.login(self.args.password, device_name=self.args.device_name)
            if not isinstance(r, LoginResponse):
                raise PeerExit(AUTH_FAILED, f"login failed: {r}")
        self.store.write_json("credentials.json", {
            "homeserver": self.client.homeserver, "user": self.args.user,
            "user_id": self.client.user_id, "device_id": self.client.device_id,
            "access_token": self.client.access_token})
        return registered, False

    def identity(self):
        keys = self.client.olm.account.identity_keys
        return {"user_id": self.client.user_id, "device_id": self.client.device_id,
                "curve25519": keys["curve25519"], "ed25519": keys["ed25519"]}

    # ---- key upkeep, as nio's sync_forever does it -------------------------------------
    async def upkeep(self):
        c = self.client
        if c.should_upload_keys:
            r = await c.keys_upload()
            if type(r).__name__.endswith("Error"):
                raise PeerExit(SERVER_ERROR, f"keys/upload failed: {r}")
        if c.should_query_keys:
            await c.keys_query()
        if c.should_claim_keys:
            await c.keys_claim(c.get_users_for_key_claiming())
        await c.send_to_device_messages()
        self.trust_all()

    def trust_all(self, users=None):
        """Mark every known device of others (or of `users`) as verified: no interactive
        verification in tests. Our own other devices are trusted too."""
        trusted = []
        for device in self.client.device_store:
            if device.device_id == self.client.device_id and device.user_id == self.client.user_id:
                continue
            if users and device.user_id not in users:
                continue
            if not self.client.olm.is_device_verified(device):
                self.client.verify_device(device)
                trusted.append(device)
        return trusted

    # ---- syncing -----------------------------------------------------------------------
    async def sync(self, long_poll=2.0):
        """One /sync (long-polling at most `long_poll` s), key upkeep, late decryption.
        The first sync of a command asks for full state: nio keeps no room state on disk,
        only the token, so without it rooms from earlier commands would be unknown."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise PeerExit(TIMED_OUT, "timed out")
        s = await self.client.sync(timeout=int(min(left, long_poll) * 1000),
                                   sync_filter=SYNC_FILTER, since=self.client.next_batch,
                                   full_state=True if self.first_sync else None)
        if not isinstance(s, SyncResponse):
            raise PeerExit(SERVER_ERROR, f"sync failed: {s}")
        self.first_sync = False
        await self.upkeep()
        for room_id, room in s.rooms.join.items():
            for ev in room.timeline.events:
                self.consider(room_id, ev, late=False)
        self.retry_pending()
        self.store.write_json("inbox.json", self.inbox)
        self.store.write_json("pending.json", self.pending)
        joined = []
        for room_id in s.rooms.invite:
            if self.room in (None, room_id) and await self.join(room_id):
                joined.append(room_id)
        return s, joined

    def consider(self, room_id, ev, late):
        if isinstance(ev, MegolmEvent):      # nio could not decrypt it (yet)
            if ev.event_id not in {p["source"]["event_id"] for p in self.pending}:
                note(f"undecryptable for now: {ev.event_id} in {room_id} from {ev.sender}"
                     f" (session {ev.session_id}); waiting for its key")
                self.pending.append({"room_id": room_id, "source": ev.source})
            return
        if isinstance(ev, RoomEncryptedFile) and ev.sender != self.client.user_id:
            if not any(m["event_id"] == ev.event_id for m in self.inbox):
                self.inbox.append({
                    "room_id": room_id, "event_id": ev.event_id, "sender": ev.sender,
                    "body": ev.body, "decrypted": bool(ev.decrypted), "reported": False,
                    "file": {"url": ev.url, "key": ev.key, "hashes": ev.hashes, "iv": ev.iv}})
            return
        if not isinstance(ev, RoomMessageText) or ev.sender == self.client.user_id:
            return
        if any(m["event_id"] == ev.event_id for m in self.inbox):
            return
        self.inbox.append({
            "room_id": room_id, "event_id": ev.event_id, "sender": ev.sender,
            "body": ev.body, "origin_server_ts": ev.server_timestamp,
            "decrypted": bool(ev.decrypted), "verified": bool(ev.verified),
            "session_id": ev.session_id, "sender_key": ev.sender_key, "late": late,
            "reported": False})

    def retry_pending(self):
        still = []
        for p in self.pending:
            ev = MegolmEvent.from_dict(p["source"])
            ev.room_id = p["room_id"]
            try:
                decrypted = self.client.decrypt_event(ev)
            except Exception:                 # EncryptionError: still no key
                still.append(p)
                continue
            note(f"decrypted late: {ev.event_id}")
            self.consider(p["room_id"], decrypted, late=True)
        self.pending = still

    async def join(self, room):
        r = await self.client.join(room)
        if isinstance(r, JoinResponse):
            return r.room_id
        note(f"join {room}: {r}")
        return None

    async def room_ready(self, room_id):
        """Sync until nio knows the room and that it is encrypted."""
        while True:
            room = self.client.rooms.get(room_id)
            if room is not None and room.encrypted:
                return room
            await self.sync(long_poll=0.5)

    async def joined_room(self):
        room_id = await self.join(self.room) if self.room else None
        if self.room and room_id is None:
            raise PeerExit(SERVER_ERROR, f"could not join {self.room}")
        while room_id is None:                    # wait for an invite, then accept it
            _, joined = await self.sync()
            room_id = joined[0] if joined else None
        return room_id


# ---- commands ----------------------------------------------------------------------------
async def cmd_login(peer, args, registered, restored):
    await peer.sync(long_poll=0)              # uploads keys, fetches devices
    emit(registered=registered, restored=restored, **peer.identity())


async def cmd_keys(peer, args, registered, restored):
    emit(registered=registered, restored=restored, **peer.identity())


async def cmd_create_room(peer, args, _registered, _restored):
    content = {"algorithm": MEGOLM}
    if args.rotation_msgs:
        content["rotation_period_msgs"] = args.rotation_msgs
    if args.rotation_ms:
        content["rotation_period_ms"] = args.rotation_ms
    r = await peer.client.room_create(
        name=args.name, invite=args.invite or (),
        initial_state=[{"type": "m.room.encryption", "state_key": "", "content": content}])
    if not isinstance(r, RoomCreateResponse):
        raise PeerExit(SERVER_ERROR, f"createRoom failed: {r}")
    await peer.sync(long_poll=0)
    emit(room_id=r.room_id)


async def cmd_join(peer, args, _registered, _restored):
    room_id = await peer.joined_room()
    await peer.room_ready(room_id)
    emit(room_id=room_id)


async def ready_to_send(peer):
    """The room to send into, with every member's device list current, so that the room
    key is shared with all of them."""
    room_id = await peer.joined_room()
    await peer.room_ready(room_id)
    r = await peer.client.joined_members(room_id)
    if type(r).__name__.endswith("Error"):
        raise PeerExit(SERVER_ERROR, f"joined_members failed: {r}")
    await peer.upkeep()
    return room_id


async def cmd_send(peer, args, _registered, _restored):
    room_id = await ready_to_send(peer)
    c = peer.client
    for i in range(1, args.count + 1):
        body = args.body.replace("{i}", str(i))
        r = await c.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body},
                              ignore_unverified_devices=True)
        if not isinstance(r, RoomSendResponse):
            raise PeerExit(SERVER_ERROR, f"send failed: {r}")
        session = c.olm.outbound_group_sessions.get(room_id)
        emit(room_id=room_id, event_id=r.event_id, body=body,
             session_id=session.id if session else None)


async def cmd_wait(peer, args, _registered, _restored):
    wanted = Counter(args.expect)             # bodies still to come, with multiplicity
    if args.room:
        joined = await peer.join(args.room)
        if joined:
            peer.room = joined
    reported = 0

    def drain():
        nonlocal reported
        for m in peer.inbox:
            if m["reported"] or m["sender"] != args.sender:
                continue
            if peer.room and m["room_id"] not in (peer.room, args.room):
                continue
            if not m["decrypted"] and not args.allow_plaintext:
                note(f"not encrypted, not counted: {m['event_id']} {m['body']!r}")
                m["reported"] = True
                continue
            if args.expect:
                if wanted[m["body"]] <= 0:
                    continue
                wanted[m["body"]] -= 1
            m["reported"] = True
            reported += 1
            emit(**{k: v for k, v in m.items() if k != "reported"})
        peer.store.write_json("inbox.json", peer.inbox)
        return (args.expect and not +wanted) or (args.count and reported >= args.count)

    while not drain():
        try:
            await peer.sync()
        except PeerExit as e:
            if e.code == TIMED_OUT:
                missing = list(wanted.elements()) if args.expect else args.count - reported
                utd = [p["source"]["event_id"] for p in peer.pending
                       if p["source"].get("sender") == args.sender]
                if utd:
                    e.code = UNDECRYPTABLE
                    e.args = (f"timed out; undecryptable from {args.sender}: {utd}; "
                              f"still missing: {missing}",)
                else:
                    e.args = (f"timed out; still missing: {missing}",)
            raise


async def cmd_send_file(peer, args, _registered, _restored):
    """Uploads a file encrypted (nio's own attachment encryption) and sends it as m.file."""
    room_id = await ready_to_send(peer)
    c = peer.client
    name, size = os.path.basename(args.path), os.path.getsize(args.path)
    with open(args.path, "rb") as f:
        uploaded, keys = await c.upload(f, content_type="application/octet-stream",
                                        filename=name, encrypt=True, filesize=size)
    if not isinstance(uploaded, UploadResponse):
        raise PeerExit(SERVER_ERROR, f"upload failed: {uploaded}")
    content = {"msgtype": "m.file", "body": name,
               "info": {"size": size, "mimetype": "application/octet-stream"},
               "file": dict(keys, url=uploaded.content_uri)}
    r = await c.room_send(room_id, "m.room.message", content, ignore_unverified_devices=True)
    if not isinstance(r, RoomSendResponse):
        raise PeerExit(SERVER_ERROR, f"send failed: {r}")
    emit(room_id=room_id, event_id=r.event_id, url=uploaded.content_uri, body=name)


async def cmd_wait_file(peer, args, _registered, _restored):
    """Waits for an encrypted m.file from a sender, downloads and decrypts it into --out."""
    while True:
        for m in peer.inbox:
            if m.get("file") and not m["reported"] and m["sender"] == args.sender:
                f = m["file"]
                got = await peer.client.download(mxc=f["url"])
                if not hasattr(got, "body"):
                    raise PeerExit(SERVER_ERROR, f"download failed: {got}")
                plain = decrypt_attachment(got.body, f["key"]["k"], f["hashes"]["sha256"], f["iv"])
                path = os.path.join(args.out, os.path.basename(m["body"]))
                with open(path, "wb") as out:
                    out.write(plain)
                m["reported"] = True
                peer.store.write_json("inbox.json", peer.inbox)
                emit(event_id=m["event_id"], path=path, size=len(plain), decrypted=m["decrypted"])
                return
        await peer.sync()


async def cmd_devices(peer, args, _registered, _restored):
    await peer.sync(long_poll=0)
    if args.users:
        c = peer.client
        for user in args.users:          # make sure nio tracks them, then query
            c.olm.users_for_key_query.add(user)
        await c.keys_query()
    peer.trust_all()
    for device in peer.client.device_store:
        if args.users and device.user_id not in args.users:
            continue
        emit(user_id=device.user_id, device_id=device.device_id,
             curve25519=device.curve25519, ed25519=device.ed25519,
             trust=device.trust_state.name, deleted=device.deleted)


OLM_TO_DEVICE = {DummyEvent: "m.dummy", RoomKeyEvent: "m.room_key",
                 ForwardedRoomKeyEvent: "m.forwarded_room_key"}


async def cmd_to_device(peer, args, _registered, _restored):
    got = 0
    while got < args.count:
        s, _ = await peer.sync()
        for ev in s.to_device_events:
            kind = OLM_TO_DEVICE.get(type(ev))
            if kind is None or ev.sender != args.sender:
                continue
            emit(type=kind, sender=ev.sender, sender_key=ev.sender_key)
            got += 1


async def cmd_logout(peer, args, _registered, _restored):
    r = await peer.client.logout()
    if type(r).__name__.endswith("Error"):
        raise PeerExit(SERVER_ERROR, f"logout failed: {r}")
    os.remove(peer.store.file("credentials.json"))
    emit(user_id=peer.client.user_id, device_id=peer.client.device_id, logged_out=True)


COMMANDS = {"login": cmd_login, "keys": cmd_keys, "create-room": cmd_create_room,
            "join": cmd_join, "send": cmd_send, "wait": cmd_wait, "devices": cmd_devices,
            "to-device": cmd_to_device, "logout": cmd_logout, "send-file": cmd_send_file,
            "wait-file": cmd_wait_file}


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-H", "--homeserver", default=os.environ.get("MATRIX_TEST_HOMESERVER"),
                    help="base URL (default: $MATRIX_TEST_HOMESERVER)")
    ap.add_argument("-u", "--user", required=True,
                    help="localpart or full user id, e.g. bob_1f2e or @bob_1f2e:localhost")
    ap.add_argument("-p", "--password", required=True)
    ap.add_argument("--store", required=True,
                    help="directory for this device: credentials, nio's SQLite crypto store, "
                         "sync token, messages not yet reported")
    ap.add_argument("--pickle-key", default="nio-e2ee-peer",
                    help="passphrase nio encrypts its pickles in the store with")
    ap.add_argument("--device-name", default="nio-e2ee-peer")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds before giving up with exit status 1 (default 30)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show matrix-nio's own log")
    sub = ap.add_subparsers(dest="command", required=True)

    sub.add_parser("login", help="register or log in (or reuse DIR's device), upload keys")
    sub.add_parser("keys", help="print this device's id and identity keys")

    p = sub.add_parser("create-room", help="create an encrypted room")
    p.add_argument("--invite", action="append", metavar="USER_ID")
    p.add_argument("--name")
    p.add_argument("--rotation-msgs", type=int, help="rotation_period_msgs for the room")
    p.add_argument("--rotation-ms", type=int, help="rotation_period_ms for the room")

    p = sub.add_parser("join", help="join a room or accept the first invite")
    p.add_argument("--room")

    p = sub.add_parser("send", help="send N encrypted text messages")
    p.add_argument("--room", help="room id or alias to join (default: accept the first invite)")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--body", default="nio e2ee message {i}")

    p = sub.add_parser("wait", help="wait for decrypted text messages from a sender")
    p.add_argument("--from", dest="sender", required=True, help="full user id of the sender")
    p.add_argument("--room", help="only this room (id or alias); other invites are ignored")
    p.add_argument("--allow-plaintext", action="store_true",
                   help="count unencrypted messages too")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--expect", action="append", metavar="BODY")
    what.add_argument("--count", type=int)

    p = sub.add_parser("devices", help="query, trust and list devices")
    p.add_argument("--user", dest="users", action="append", metavar="USER_ID")

    p = sub.add_parser("to-device", help="wait for decrypted Olm to-device events")
    p.add_argument("--from", dest="sender", required=True, help="full user id of the sender")
    p.add_argument("--count", type=int, default=1)

    p = sub.add_parser("send-file", help="upload a file encrypted and send it as m.file")
    p.add_argument("--room", help="room id or alias to join (default: accept the first invite)")
    p.add_argument("--path", required=True)

    p = sub.add_parser("wait-file", help="wait for an encrypted m.file, fetch and decrypt it")
    p.add_argument("--from", dest="sender", required=True, help="full user id of the sender")
    p.add_argument("--out", required=True, help="directory to write the file into")

    sub.add_parser("logout", help="log out and delete the device")

    args = ap.parse_args(argv)
    if not args.homeserver:
        ap.error("no homeserver: pass -H URL or set MATRIX_TEST_HOMESERVER")
    return args


async def main(argv):
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.CRITICAL)
    peer = Peer(args)

    async def run():
        registered, restored = await peer.sign_in()
        if peer.client.olm is None:
            raise PeerExit(SERVER_ERROR, "nio did not load its crypto store")
        await COMMANDS[args.command](peer, args, registered, restored)

    try:
        await asyncio.wait_for(run(), args.timeout + 10)
        return DONE
    except PeerExit as e:
        note(str(e))
        return e.code
    except asyncio.TimeoutError:
        note("timed out waiting for the server")
        return TIMED_OUT
    finally:
        await peer.client.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
