import type { App } from '../app.js';
import { isLang, type Lang } from '../core/lang.js';
import { isNeedIntent, type NeedIntent } from '../core/intents.js';
import type { Helper, HelperRole } from '../domain/helper.js';
import type { HelpRequest, RequestStatus } from '../domain/request.js';
import type { Person } from '../domain/person.js';
import { Registry } from '../store/registry.js';
import { addErasure } from '../store/people.js';
import { UnitOfWork } from '../store/unit-of-work.js';

/** A mistake in how the command was called: shown as one line, exit code 2. */
export class UsageError extends Error {}

type Options = Record<string, string | boolean | undefined>;

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value.trim();
}

function list(value: string | boolean | undefined): string[] {
  return typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

function languages(value: string | boolean | undefined, fallback: Lang[]): Lang[] {
  const items = list(value);
  for (const item of items) if (!isLang(item)) throw new UsageError(`--languages: "${item}" is not one of nl, en, tr, ar, pl, uk`);
  return items.length ? (items as Lang[]) : fallback;
}

function topics(value: string | boolean | undefined): NeedIntent[] {
  const items = list(value);
  for (const item of items) if (!isNeedIntent(item)) throw new UsageError(`--topics: "${item}" is not a need intent (e.g. need.social_contact)`);
  return items as NeedIntent[];
}

function wijk(app: App, value: string): string {
  if (!app.wijken.get(value)) throw new UsageError(`--wijk: "${value}" is not a wijk; known: ${app.wijken.all.map((w) => w.id).join(', ')}`);
  return value;
}

async function allRequests(app: App): Promise<HelpRequest[]> {
  const ids = await app.redis.zrange(app.keys.requests(), 0, '-1');
  return (await app.docs.getMany<HelpRequest>(ids.map((id) => app.keys.request(id)))).filter((r): r is HelpRequest => r !== undefined);
}

/** Runs one admin command and returns what to print as JSON. */
export async function runAdmin(app: App, words: string[], options: Options): Promise<unknown> {
  const registry = new Registry(app.redis, app.docs, app.keys);
  const [noun, verb, arg] = words;
  const helperRole: HelperRole | undefined = noun === 'volunteer' ? 'volunteer' : noun === 'wijkwerker' ? 'wijkwerker' : undefined;

  if (helperRole && verb === 'add') {
    const capacity = options.capacity === undefined ? (helperRole === 'volunteer' ? 2 : 20) : Number(options.capacity);
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > 100) throw new UsageError('--capacity must be a whole number from 0 to 100');
    const { helper, invite } = await registry.add({
      role: helperRole,
      name: required(options, 'name'),
      languages: languages(options.languages, ['nl']),
      wijk: wijk(app, required(options, 'wijk')),
      topics: topics(options.topics),
      capacity,
    });
    return { id: helper.id, invite };
  }
  if (helperRole && verb === 'list') return registry.list(helperRole);
  if (helperRole && ['pause', 'resume', 'remove', 'invite'].includes(verb ?? '')) {
    if (!arg) throw new UsageError(`${noun} ${verb} <id>`);
    const helper = await registry.get(arg);
    if (!helper || helper.role !== helperRole) throw new UsageError(`no ${noun} with id ${arg}`);
    if (verb === 'invite') return { id: helper.id, invite: await registry.newInvite(helper.id) };
    if (verb === 'remove') {
      await registry.remove(helper);
      return { id: helper.id, removed: true };
    }
    const updated = await app.docs.update<Helper>(app.keys.helper(helper.id), (h) => ({ ...h, status: verb === 'pause' ? 'paused' : 'active' }));
    return { id: updated.id, status: updated.status };
  }

  if (noun === 'requests' && verb === 'show') {
    if (!arg) throw new UsageError('requests show <id>');
    const request = await app.docs.get<HelpRequest>(app.keys.request(arg));
    if (!request) throw new UsageError(`no request ${arg}`);
    return { ...request, events: (await app.redis.lrange(app.keys.requestEvents(arg), 0, -1)).map((e) => JSON.parse(e)) };
  }

  if (noun === 'escalation' && verb === 'list') {
    const ids = await app.redis.zrange(app.keys.escalations(), 0, '-1');
    return (await app.docs.getMany<HelpRequest>(ids.map((id) => app.keys.request(id)))).filter((r): r is HelpRequest => !!r && r.escalation?.status !== 'resolved');
  }
  if (noun === 'escalation' && ['claim', 'resolve', 'handback'].includes(verb ?? '')) {
    if (!arg) throw new UsageError(`escalation ${verb} <request id> --as <wijkwerker id>`);
    const as = required(options, 'as');
    const helper = await registry.get(as);
    if (!helper || helper.role === 'volunteer') throw new UsageError(`--as: ${as} is not a wijkwerker or coordinator`);
    const result = await app.routing.run((work) => (verb === 'claim' ? app.routing.claim(work, arg, as) : app.routing.resolve(work, arg, as, verb === 'handback')));
    await app.idle();
    if (!result.ok) throw new Error(`cannot ${verb}: ${result.why}`);
    return { id: arg, escalation: result.request.escalation, status: result.request.status };
  }

  if (noun === 'requests' && verb === 'list') {
    const status = typeof options.status === 'string' ? (options.status as RequestStatus) : undefined;
    return (await allRequests(app)).filter((r) => !status || r.status === status);
  }

  if (noun === 'person' && (verb === 'export' || verb === 'erase')) {
    if (!arg) throw new UsageError(`person ${verb} <id> (e.g. telegram:12345 or console:res-1)`);
    const person = await app.docs.get<Person>(app.keys.person(arg));
    const requestIds = await app.redis.smembers(app.keys.requestsOf(arg));
    if (verb === 'export') {
      const requests = await Promise.all(
        requestIds.map(async (id) => ({
          ...(await app.docs.get<HelpRequest>(app.keys.request(id))),
          events: (await app.redis.lrange(app.keys.requestEvents(id), 0, -1)).map((e) => JSON.parse(e)),
        })),
      );
      const conversation = person ? `${person.ref.channel}:${person.ref.conversationId}` : arg;
      const session = await app.redis.get(app.keys.session(conversation));
      return { id: arg, person: person ?? null, requests, conversation: session ? JSON.parse(session).state.vars : null };
    }
    // Erase under the conversation's lock, so a turn in flight cannot write the person back.
    const conversation = person ? `${person.ref.channel}:${person.ref.conversationId}` : arg;
    const begun = await app.turns.begin(conversation, `admin-erase:${Date.now()}:${Math.random()}`);
    if (begun.status !== 'ok') throw new Error('could not lock the conversation');
    const work = new UnitOfWork();
    const requests = await addErasure(app.redis, app.keys, arg, work);
    const version = begun.session ? (JSON.parse(begun.session).v as number) : 0;
    const result = await app.turns.commit(conversation, '', begun.token, version, null, 0, work);
    if (result !== 'ok') throw new Error(`erase refused (${result}); try again`);
    return { id: arg, erased: true, requests };
  }

  throw new UsageError(
    'commands: volunteer|wijkwerker add|list|pause|resume|remove|invite, requests list [--status S], requests show <id>, escalation list|claim|resolve|handback <id> --as <id>, person export|erase <id>',
  );
}
