/**
 * Lua scripts that make one turn two round trips: `begin` (duplicate check,
 * lock, load) and `commit` (fence check, version check, all writes, mark seen,
 * unlock) — atomic, so a failed turn saves nothing.
 */

/** KEYS: seen, lock, session. ARGV: token, lockTtlMs. → {'dup'} | {'busy'} | {'ok', sessionJson|false} */
export const BEGIN_TURN = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'dup'} end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'busy'} end
return {'ok', redis.call('GET', KEYS[3])}
`;

/**
 * KEYS: lock, session, seen. ARGV: token, expectedVersion, sessionJson, sessionTtlSec,
 * seenTtlSec, nOps, then the ops (see UnitOfWork.encode). → 'ok' | 'fenced' | 'stale' | 'conflict'
 * Without a lock key (KEYS[1] = '') it is a plain unit of work: checks and writes, no session.
 * The session JSON carries its version as field "v"; an empty sessionJson deletes it.
 */
export const COMMIT_TURN = `
local hasSession = KEYS[1] ~= ''
if hasSession then
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'fenced' end
  local current = redis.call('GET', KEYS[2])
  local version = 0
  if current then version = tonumber(cjson.decode(current)['v'] or 0) end
  if version ~= tonumber(ARGV[2]) then return 'stale' end
end
local i = 7
local n = tonumber(ARGV[6])
-- First every CHECKV (another document must still be at the version we read), then the writes.
for _ = 1, n do
  local argc = tonumber(ARGV[i])
  if ARGV[i + 1] == 'CHECKV' then
    local doc = redis.call('GET', ARGV[i + 2])
    local v = 0
    if doc then v = tonumber(cjson.decode(doc)['v'] or 0) end
    if v ~= tonumber(ARGV[i + 3]) then return 'conflict' end
  end
  i = i + argc + 1
end
if not hasSession then
elseif ARGV[3] == '' then
  redis.call('DEL', KEYS[2])
elseif tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
else
  redis.call('SET', KEYS[2], ARGV[3])
end
i = 7
for _ = 1, n do
  local argc = tonumber(ARGV[i])
  if ARGV[i + 1] ~= 'CHECKV' then
    local cmd = {}
    for j = 1, argc do cmd[j] = ARGV[i + j] end
    redis.call(unpack(cmd))
  end
  i = i + argc + 1
end
if KEYS[3] ~= '' then redis.call('SET', KEYS[3], '1', 'EX', ARGV[5]) end
if hasSession then redis.call('DEL', KEYS[1]) end
return 'ok'
`;

/** KEYS: lock. ARGV: token. Releases the lock only when it is still ours. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Compare-and-set of a versioned JSON document. KEYS: key. ARGV: expectedVersion, json, ttlSec.
 * → 'ok' | 'stale'. Version 0 means "must not exist yet".
 */
export const PUT_VERSIONED = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = tonumber(cjson.decode(current)['v'] or 0) end
if version ~= tonumber(ARGV[1]) then return 'stale' end
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 'ok'
`;
