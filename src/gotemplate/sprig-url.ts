import { FuncError } from './errors.js';
import { def, type GoFunc } from './functions.js';
import { expectMap, newMap, reflectKind } from './sprig-convert.js';

/** sprig's urlParse / urlJoin over a port of Go's net/url Parse and URL.String. */

type Mode = 'path' | 'host' | 'userinfo' | 'fragment';

function shouldEscape(c: number, mode: Mode): boolean {
  const ch = String.fromCharCode(c);
  if (/[a-zA-Z0-9]/.test(ch)) return false;
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    if (mode === 'path') return ch === '?';
    if (mode === 'userinfo') return '@/?:'.includes(ch);
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

function urlEscape(s: string, mode: Mode): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (mode === 'host' && b >= 0x80) out += String.fromCharCode(b);
    else
      out += shouldEscape(b, mode)
        ? `%${b.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(b);
  }
  return mode === 'host' ? Buffer.from(out, 'latin1').toString('utf8') : out;
}

function urlUnescape(s: string, mode: Mode | 'query'): string {
  const bad = /%(?![0-9a-fA-F]{2})/.exec(s);
  if (bad) {
    const frag = s.slice(bad.index, bad.index + 3);
    throw new ParseError(`invalid URL escape ${JSON.stringify(frag)}`);
  }
  if (mode === 'host' && /%(?!25)/.test(s) && !s.startsWith('[')) {
    const m = /%[0-9a-fA-F]{2}/.exec(s);
    if (m) throw new ParseError(`invalid URL escape ${JSON.stringify(m[0])}`);
  }
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25) {
      bytes.push(Number.parseInt(raw.subarray(i + 1, i + 3).toString('latin1'), 16));
      i += 2;
    } else bytes.push(raw[i] ?? 0);
  }
  return Buffer.from(bytes).toString('utf8');
}

class ParseError extends Error {}

interface GoUrl {
  scheme: string;
  opaque: string;
  user: { username: string; password: string | undefined } | undefined;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new ParseError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parseAuthority(authority: string): Pick<GoUrl, 'user' | 'host'> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return { user: undefined, host };
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new ParseError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { user: { username: urlUnescape(userinfo, 'userinfo'), password: undefined }, host };
  return {
    user: {
      username: urlUnescape(userinfo.slice(0, colon), 'userinfo'),
      password: urlUnescape(userinfo.slice(colon + 1), 'userinfo'),
    },
    host,
  };
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0) throw new ParseError("missing ']' in host");
    const port = host.slice(end + 1);
    if (port !== '' && !/^:\d*$/.test(port))
      throw new ParseError(`invalid port ${JSON.stringify(port)} after host`);
    return urlUnescape(host, 'host');
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !/^:\d*$/.test(host.slice(colon))) {
    throw new ParseError(`invalid port ${JSON.stringify(host.slice(colon))} after host`);
  }
  return urlUnescape(host, 'host');
}

/** Go's url.Parse. */
function parseUrl(rawUrl: string): GoUrl {
  const hash = rawUrl.indexOf('#');
  const withoutFrag = hash < 0 ? rawUrl : rawUrl.slice(0, hash);
  const fragment = hash < 0 ? '' : urlUnescape(rawUrl.slice(hash + 1), 'fragment');
  if (/[\x00-\x1f\x7f]/.test(withoutFrag)) throw new ParseError('net/url: invalid control character in URL');
  const url: GoUrl = { scheme: '', opaque: '', user: undefined, host: '', path: '', rawQuery: '', fragment };
  if (withoutFrag === '*') {
    url.path = '*';
    return url;
  }
  let [scheme, rest] = getScheme(withoutFrag);
  url.scheme = scheme.toLowerCase();
  const q = rest.indexOf('?');
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    rest = rest.slice(0, -1);
  } else if (q >= 0) {
    url.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      throw new ParseError('first path segment in URL cannot contain colon');
    }
  }
  if ((url.scheme !== '' || true) && rest.startsWith('//') && !rest.startsWith('///')) {
    const after = rest.slice(2);
    const slash = after.indexOf('/');
    const authority = slash < 0 ? after : after.slice(0, slash);
    rest = slash < 0 ? '' : after.slice(slash);
    Object.assign(url, parseAuthority(authority));
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    // no authority
  }
  url.path = urlUnescape(rest, 'path');
  return url;
}

function userString(user: NonNullable<GoUrl['user']>): string {
  const name = urlEscape(user.username, 'userinfo');
  return user.password === undefined ? name : `${name}:${urlEscape(user.password, 'userinfo')}`;
}

/** Go's URL.String. */
function formatUrl(u: GoUrl): string {
  let out = '';
  if (u.scheme !== '') out += `${u.scheme}:`;
  if (u.opaque !== '') out += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (u.host !== '' || u.path !== '' || u.user !== undefined) out += '//';
      if (u.user !== undefined) out += `${userString(u.user)}@`;
      if (u.host !== '') out += urlEscape(u.host, 'host');
    }
    const path = u.path === '*' ? '*' : urlEscape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '') {
      const seg = path.split('/')[0] ?? '';
      if (seg.includes(':')) out += './';
    }
    out += path;
  }
  if (u.rawQuery !== '') out += `?${u.rawQuery}`;
  if (u.fragment !== '') out += `#${urlEscape(u.fragment, 'fragment')}`;
  return out;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^:\d*$/.test(host.slice(colon)) ? host.slice(0, colon) : host;
}

function urlParse(raw: string): Record<string, unknown> {
  let u: GoUrl;
  try {
    u = parseUrl(raw);
  } catch (err) {
    if (err instanceof ParseError)
      throw new FuncError(`unable to parse url: parse ${JSON.stringify(raw)}: ${err.message}`);
    throw err;
  }
  return newMap([
    ['scheme', u.scheme],
    ['host', u.host],
    ['hostname', hostname(u.host)],
    ['path', u.path],
    ['query', u.rawQuery],
    ['opaque', u.opaque],
    ['fragment', u.fragment],
    ['userinfo', u.user === undefined ? '' : userString(u.user)],
  ]);
}

function stringKey(d: Record<string, unknown> | undefined, key: string): string {
  if (d === undefined || !Object.hasOwn(d, key)) return '';
  const v = d[key];
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) {
    throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  }
  throw new FuncError(`unable to parse ${key} key, must be of type string, but ${reflectKind(v)} found`);
}

function urlJoin(m: unknown): string {
  const d = expectMap(m);
  const userinfo = stringKey(d, 'userinfo');
  let user: GoUrl['user'];
  if (userinfo !== '') {
    try {
      user = parseUrl(`proto://${userinfo}@host`).user;
    } catch (err) {
      if (err instanceof ParseError) {
        throw new FuncError(
          `unable to parse userinfo in dict: parse "proto://${userinfo}@host": ${err.message}`,
        );
      }
      throw err;
    }
  }
  return formatUrl({
    scheme: stringKey(d, 'scheme'),
    host: stringKey(d, 'host'),
    path: stringKey(d, 'path'),
    rawQuery: stringKey(d, 'query'),
    opaque: stringKey(d, 'opaque'),
    fragment: stringKey(d, 'fragment'),
    user,
  });
}

/** sprig's URL functions. */
export const SPRIG_URL: Readonly<Record<string, GoFunc>> = {
  urlParse: def(['string'], urlParse),
  urlJoin: def(['any'], urlJoin),
};
