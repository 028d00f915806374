/**
 * @fileoverview The `oracle tcx` script language, run against the emulator instead of the
 * kernel. Parsing, fd handling and the JSON lines follow the kernel oracle's `tcx` command
 * (docs/kernel-oracle.md §4) token for token, so the two outputs can be compared line by line.
 *
 * The setup is the oracle's: a fresh namespace with lo (ifindex 1) and a veth pair veth0
 * (target, ifindex 3) / veth0p (ifindex 2). The process has fds 0..2 open, plus fd 3 for the
 * script file when it was read from a file (the oracle fopen()s it), so program fds and
 * `rel-raw N` land on the same numbers as in the oracle.
 */
import { ErrnoError, ErrorCode } from '../../vm/errors.js';
import { ERRNO, type ErrnoName, BPF_ATTACH_TYPE, BPF_F_AFTER, BPF_F_BEFORE, BPF_F_ID, BPF_F_LINK, BPF_F_REPLACE, BPF_PROG_TYPE } from '../uapi.js';
import { Host } from './host.js';
import { BpfKernel } from './kernel.js';
import { BpfProcess } from './syscall.js';

export interface TcxScriptOptions {
  /** Add the raw prog/link ids (our ids, not the kernel's) like `oracle tcx --ids`. */
  ids?: boolean;
  /** The script came from a file (the oracle then holds it open as fd 3). Default true. */
  fromFile?: boolean;
  /**
   * First program / link id. Default 10001 / 1001: like a kernel that has been up for a while,
   * so small numbers (fds) used as ids never hit a program, as on the machine the goldens
   * were recorded on. The kernel's own ids depend on its history and are not reproduced.
   */
  firstProgId?: number;
  firstLinkId?: number;
}

export interface TcxScriptResult {
  /** The setup line the oracle would print first (not part of `lines`). */
  setup: string;
  /** One JSON line per operation, without trailing newlines. */
  lines: string[];
  scriptErrors: number;
  /** 3 when any line was a script error, else 0 (the oracle's exit status). */
  exitCode: number;
  host: Host;
}

const MAX_PROGS = 512;
const MAX_LINKS = 512;
const MAX_TOK = 64;
const QUERY_CAP = 256;

interface SProg {
  name: string;
  fd: number; // -1 once closed
  id: number;
  type: number;
}

interface SLink {
  name: string;
  fd: number;
  id: number;
  attachType: number;
  ifindex: number;
  pin: string;
}

interface Opts {
  flags: number;
  relative: number;
  replaceFd: number;
  rev: bigint;
  old: SProg | null;
  as: string | null;
  prog: SProg | null;
}

class ScriptError extends Error {}

/** put_escaped of the oracle's JSON writer: bytes ≥ 0x7f and controls as \u00XX. */
function jstr(s: string): string {
  let o = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    if (c === 0x22) o += '\\"';
    else if (c === 0x5c) o += '\\\\';
    else if (c === 0x0a) o += '\\n';
    else if (c === 0x09) o += '\\t';
    else if (c === 0x0d) o += '\\r';
    else if (c < 0x20 || c >= 0x7f) o += `\\u${c.toString(16).padStart(4, '0')}`;
    else o += String.fromCharCode(c);
  }
  return o + '"';
}

/** One JSON object line built in key order. */
class Line {
  private parts: string[] = [];
  str(k: string, v: string): void {
    this.parts.push(`${jstr(k)}:${jstr(v)}`);
  }
  num(k: string, v: number | bigint): void {
    this.parts.push(`${jstr(k)}:${v}`);
  }
  raw(k: string, v: string): void {
    this.parts.push(`${jstr(k)}:${v}`);
  }
  toString(): string {
    return `{${this.parts.join(',')}}`;
  }
}

/** strtoull(s, &end, 0) with the oracle's checks: no sign '-', whole token, no overflow. */
export function parseU64(s: string | undefined): bigint | null {
  if (s === undefined || s === '' || s[0] === '-') return null;
  let t = s;
  if (t[0] === '+') t = t.slice(1);
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = BigInt(t);
  else if (/^0[0-7]*$/.test(t)) v = t.length > 1 ? BigInt(`0o${t.slice(1)}`) : 0n;
  else if (/^[1-9][0-9]*$/.test(t)) v = BigInt(t);
  else return null;
  return v > 0xffffffffffffffffn ? null : v;
}

function errnoOf(e: unknown): ErrnoName {
  if (e instanceof ErrnoError) return e.errno;
  throw e;
}

/** Run a tcx script; returns the JSON lines the oracle prints after its setup line. */
export function runTcxScript(text: string, opts: TcxScriptOptions = {}): TcxScriptResult {
  const fromFile = opts.fromFile ?? true;
  const showIds = opts.ids ?? false;
  const kernel = new BpfKernel({ firstProgId: opts.firstProgId ?? 10001, firstLinkId: opts.firstLinkId ?? 1001 });
  const host = new Host({ kernel });
  const files = ['stdin', 'stdout', 'stderr'];
  if (fromFile) files.push('script');
  const proc = new BpfProcess(host, { openFiles: files });
  const progs: SProg[] = [];
  const links: SLink[] = [];
  let nCls = 0;
  let nXdp = 0;
  let nDevCreated = 0;
  let target = 0;

  const progByName = (n: string): SProg | undefined => progs.find((p) => p.name === n);
  const linkByName = (n: string): SLink | undefined => links.find((l) => l.name === n);

  const resErrno = (w: Line, err: ErrnoName | null): void => {
    w.str('result', err ?? 'ok');
    if (err) w.num('errno', ERRNO[err]);
  };

  const progIdName = (id: number): string => progs.find((p) => p.id === id)?.name ?? `id:${id}`;
  const linkIdJson = (id: number): string => {
    if (!id) return 'null';
    const l = links.find((x) => x.id === id);
    return jstr(l ? l.name : `id:${id}`);
  };

  const createDev = (w: Line, name: string): ErrnoName | null => {
    const peer = `${name.slice(0, 10)}p`;
    try {
      host.addVeth(name, peer);
    } catch (e) {
      return errnoOf(e);
    }
    target = host.device(name)!.ifindex;
    w.str('device', name);
    w.str('kind', 'veth');
    w.str('peer', peer);
    w.num('ifindex', target);
    return null;
  };

  const parseDir = (s: string): number => {
    if (s === 'ingress') return BPF_ATTACH_TYPE.BPF_TCX_INGRESS;
    if (s === 'egress') return BPF_ATTACH_TYPE.BPF_TCX_EGRESS;
    throw new ScriptError(`direction must be ingress or egress, not '${s}'`);
  };

  const progFdChecked = (p: SProg): void => {
    if (p.fd < 0) throw new ScriptError(`program ${p.name} was closed`);
  };

  const need = (i: number, ntok: number, what: string): boolean => i + 1 >= ntok && fail(`'${what}' needs an argument`);
  const fail = (msg: string): never => {
    throw new ScriptError(msg);
  };

  const parseOpts = (tok: string[], start: number, o: Opts, allowProg: boolean): void => {
    const ntok = tok.length;
    for (let i = start; i < ntok; i++) {
      const t = tok[i];
      if (t === 'before') o.flags |= BPF_F_BEFORE;
      else if (t === 'after') o.flags |= BPF_F_AFTER;
      else if (t === 'rel' || t === 'rel-id') {
        need(i, ntok, t);
        const p = progByName(tok[++i]) ?? fail(`unknown program '${tok[i]}'`);
        if (t === 'rel') {
          progFdChecked(p);
          o.relative = p.fd;
        } else {
          o.flags |= BPF_F_ID;
          o.relative = p.id;
        }
      } else if (t === 'rel-link' || t === 'rel-link-id') {
        need(i, ntok, t);
        const l = linkByName(tok[++i]) ?? fail(`unknown link '${tok[i]}'`);
        o.flags |= BPF_F_LINK;
        if (t === 'rel-link') {
          if (l.fd < 0) fail(`link ${l.name} was closed`);
          o.relative = l.fd;
        } else {
          o.flags |= BPF_F_ID;
          o.relative = l.id;
        }
      } else if (t === 'rel-fd' || t === 'rel-idof') {
        need(i, ntok, t);
        const p = progByName(tok[++i]);
        const l = p ? undefined : linkByName(tok[i]);
        if (!p && !l) fail(`unknown name '${tok[i]}'`);
        if (t === 'rel-fd') {
          const fd = p ? p.fd : l!.fd;
          if (fd < 0) fail(`${tok[i]} was closed`);
          o.relative = fd;
        } else o.relative = p ? p.id : l!.id;
      } else if (t === 'rel-raw' || t === 'flags') {
        const v = i + 1 >= ntok ? null : parseU64(tok[++i]);
        if (v === null || v > 0xffffffffn) fail(t === 'rel-raw' ? 'rel-raw needs a 32-bit number' : 'flags needs a 32-bit number');
        if (t === 'rel-raw') o.relative = Number(v);
        else o.flags = (o.flags | Number(v)) >>> 0;
      } else if (t === 'replace') {
        need(i, ntok, t);
        const p = progByName(tok[++i]) ?? fail(`unknown program '${tok[i]}'`);
        progFdChecked(p);
        o.flags |= BPF_F_REPLACE;
        o.replaceFd = p.fd;
      } else if (t === 'rev') {
        const v = i + 1 >= ntok ? null : parseU64(tok[++i]);
        if (v === null) fail('rev needs a number');
        o.rev = v!;
      } else if (t === 'old') {
        need(i, ntok, t);
        o.old = progByName(tok[++i]) ?? fail(`unknown program '${tok[i]}'`);
        progFdChecked(o.old);
      } else if (t === 'as') {
        need(i, ntok, t);
        o.as = tok[++i];
      } else if (allowProg && i === start && progByName(t)) {
        o.prog = progByName(t)!;
        progFdChecked(o.prog);
      } else fail(`unexpected token '${t}'`);
    }
  };

  const newOpts = (): Opts => ({ flags: 0, relative: 0, replaceFd: 0, rev: 0n, old: null, as: null, prog: null });

  const query = (at: number, cap: number, ifindex = target) =>
    proc.progQuery({ target_ifindex: ifindex, attach_type: at, count: cap, prog_ids: true });

  const doQuery = (w: Line, at: number, cap: number, small: boolean): void => {
    let q;
    try {
      q = query(at, cap);
    } catch (e) {
      resErrno(w, errnoOf(e));
      return;
    }
    resErrno(w, q.error ?? null);
    w.num('revision', q.revision);
    w.num('count', q.count);
    w.num('attach_flags', q.attachFlags);
    if (small) {
      w.num('buf', cap);
      w.num('written', q.progIds.length);
    }
    const shown = Math.min(q.count, cap);
    const ids = q.progIds.slice(0, shown);
    w.raw('progs', `[${ids.map((id) => jstr(progIdName(id))).join(',')}]`);
    w.raw('links', `[${q.linkIds.slice(0, shown).map(linkIdJson).join(',')}]`);
    w.raw('prog_flags', `[${q.progAttachFlags.slice(0, shown).join(',')}]`);
    w.raw('link_flags', `[${q.linkAttachFlags.slice(0, shown).join(',')}]`);
    if (showIds) {
      w.raw('prog_ids', `[${ids.join(',')}]`);
      w.raw('link_ids', `[${q.linkIds.slice(0, shown).join(',')}]`);
    }
  };

  const linkListed = (l: SLink): boolean => {
    try {
      const q = query(l.attachType, QUERY_CAP, l.ifindex);
      return q.linkIds.includes(l.id);
    } catch {
      return false;
    }
  };

  const linkArg = (tok: string[], idx: number, needFd: boolean): SLink => {
    if (idx >= tok.length) fail(`${tok[0]} needs a link name`);
    const l = linkByName(tok[idx]) ?? fail(`unknown link '${tok[idx]}'`);
    if (needFd && l.fd < 0) fail(`link ${l.name} was closed`);
    return l;
  };

  const sys = (w: Line, f: () => void): void => {
    let err: ErrnoName | null = null;
    try {
      f();
    } catch (e) {
      err = errnoOf(e);
    }
    resErrno(w, err);
  };

  const ops: Record<string, (w: Line, tok: string[]) => void> = {
    progs: (w, tok) => opProgs(w, tok, BPF_PROG_TYPE.BPF_PROG_TYPE_SCHED_CLS),
    'xdp-progs': (w, tok) => opProgs(w, tok, BPF_PROG_TYPE.BPF_PROG_TYPE_XDP),
    attach: (w, tok) => opAttachDetach(w, tok, true),
    detach: (w, tok) => opAttachDetach(w, tok, false),
    link: (w, tok) => {
      const o = newOpts();
      if (tok.length < 3) fail('bad arguments');
      const at = parseDir(tok[1]);
      const p = progByName(tok[2]) ?? fail(`unknown program '${tok[2]}'`);
      progFdChecked(p);
      parseOpts(tok, 3, o, false);
      if (!o.as || o.as.length >= 32) fail('usage: link DIR PROG as LNAME [opts]');
      if (linkByName(o.as!) || progByName(o.as!)) fail(`name '${o.as}' already used`);
      if (o.replaceFd) fail("link create has no replace fd; use 'flags 4' for the bare flag");
      let fd: number;
      try {
        fd = proc.linkCreate({
          prog_fd: p.fd,
          target_ifindex: target,
          attach_type: at,
          flags: o.flags,
          relative_fd: o.relative,
          expected_revision: o.rev,
        });
      } catch (e) {
        resErrno(w, errnoOf(e));
        return;
      }
      if (links.length === MAX_LINKS) {
        proc.close(fd);
        fail('too many links');
      }
      const l: SLink = { name: o.as!, fd, id: proc.linkInfo(fd).id, attachType: at, ifindex: target, pin: '' };
      links.push(l);
      resErrno(w, null);
      w.str('link', l.name);
      if (showIds) w.num('link_id', l.id);
    },
    'link-update': (w, tok) => {
      const l = linkArg(tok, 1, true);
      const o = newOpts();
      const p = (tok.length >= 3 ? progByName(tok[2]) : undefined) ?? fail('usage: link-update LNAME PROG [old PROG] [flags N]');
      progFdChecked(p);
      parseOpts(tok, 3, o, false);
      let flags = o.flags;
      let oldFd = 0;
      if (o.old) {
        flags |= BPF_F_REPLACE;
        oldFd = o.old.fd;
      }
      sys(w, () => proc.linkUpdate({ link_fd: l.fd, new_prog_fd: p.fd, flags: flags >>> 0, old_prog_fd: oldFd }));
    },
    'link-detach': (w, tok) => {
      const l = linkArg(tok, 1, true);
      if (tok.length !== 2) fail('usage: link-detach LNAME');
      sys(w, () => proc.linkDetach(l.fd));
    },
    'link-close': (w, tok) => {
      const l = linkArg(tok, 1, true);
      proc.close(l.fd);
      l.fd = -1;
      resErrno(w, null);
    },
    'link-pin': (w, tok) => {
      const l = linkArg(tok, 1, true);
      if (l.pin) fail(`link ${l.name} is already pinned`);
      l.pin = `/sys/fs/bpf/oracle-tcx-${process.pid}-${l.name}`;
      let err: ErrnoName | null = null;
      try {
        proc.objPin(l.fd, l.pin);
      } catch (e) {
        err = errnoOf(e);
        l.pin = '';
      }
      resErrno(w, err);
    },
    'link-unpin': (w, tok) => {
      const l = linkArg(tok, 1, false);
      if (!l.pin) fail(`link ${l.name} is not pinned`);
      let err: ErrnoName | null = null;
      try {
        proc.unlink(l.pin);
      } catch (e) {
        err = errnoOf(e);
      }
      l.pin = '';
      resErrno(w, err);
      // the kernel frees from a workqueue and the oracle waits; here release is synchronous
      if (!err && l.fd < 0) w.raw('settled', linkListed(l) ? 'false' : 'true');
    },
    'link-info': (w, tok) => {
      const l = linkArg(tok, 1, true);
      let info;
      try {
        info = proc.linkInfo(l.fd);
      } catch (e) {
        resErrno(w, errnoOf(e));
        return;
      }
      resErrno(w, null);
      w.num('link_type', info.type);
      w.str('prog', progIdName(info.progId));
      w.num('ifindex', info.ifindex);
      if (info.attachType === BPF_ATTACH_TYPE.BPF_TCX_INGRESS) w.str('attach_type', 'ingress');
      else if (info.attachType === BPF_ATTACH_TYPE.BPF_TCX_EGRESS) w.str('attach_type', 'egress');
      else w.num('attach_type', info.attachType);
      if (showIds) {
        w.num('link_id', info.id);
        w.num('prog_id', info.progId);
      }
    },
    'prog-close': (w, tok) => {
      const p = (tok.length === 2 ? progByName(tok[1]) : undefined) ?? fail('usage: prog-close PROG');
      progFdChecked(p);
      proc.close(p.fd);
      p.fd = -1;
      resErrno(w, null);
    },
    'dev-delete': (w, tok) => {
      if (tok.length !== 1) fail('usage: dev-delete');
      // RTM_DELLINK by ifindex: 0 without a name is EINVAL (rtnl_dellink)
      sys(w, () => {
        if (target === 0) throw new ErrnoError(ErrorCode.Net, 'EINVAL', 'dellink: no ifindex and no name');
        host.deleteDevice(target);
      });
    },
    'dev-create': (w, tok) => {
      if (tok.length > 2 || (tok.length === 2 && Buffer.byteLength(tok[1], 'latin1') > 10))
        fail('usage: dev-create [NAME (<= 10 chars)]');
      const name = tok.length === 2 ? tok[1] : `veth${++nDevCreated}`;
      resErrno(w, createDev(w, name));
    },
    target: (w, tok) => {
      if (tok.length !== 2) fail('usage: target IFNAME|IFINDEX');
      const v = parseU64(tok[1]);
      if (v !== null && v <= 0x7fffffffn) target = Number(v);
      else {
        const d = host.device(tok[1]);
        if (!d) fail(`no device '${tok[1]}'`);
        target = d!.ifindex;
      }
      resErrno(w, null);
      w.num('ifindex', target);
    },
    query: (w, tok) => opQuery(w, tok, false),
    'query-small': (w, tok) => opQuery(w, tok, true),
  };

  function opQuery(w: Line, tok: string[], small: boolean): void {
    const op = tok[0];
    const usage = `usage: ${op} DIR${small ? ' K' : ''}`;
    if (tok.length !== (small ? 3 : 2)) fail(usage);
    const at = parseDir(tok[1]);
    let k = QUERY_CAP;
    if (small) {
      const v = parseU64(tok[2]);
      if (v === null || v > BigInt(QUERY_CAP)) fail(`K must be 0..${QUERY_CAP}`);
      k = Number(v);
    }
    doQuery(w, at, k, small);
  }

  function opProgs(w: Line, tok: string[], type: number): void {
    const n = tok.length === 2 ? parseU64(tok[1]) : null;
    if (n === null || n > 256n || progs.length + Number(n) > MAX_PROGS) fail(`usage: ${tok[0]} N (N <= 256)`);
    const names: string[] = [];
    for (let k = 0; k < Number(n); k++) {
      const xdp = type === BPF_PROG_TYPE.BPF_PROG_TYPE_XDP;
      const name = `${xdp ? 'x' : 'p'}${xdp ? ++nXdp : ++nCls}`;
      const fd = proc.progLoad({ type, name });
      progs.push({ name, fd, id: proc.progInfo(fd).id, type });
      names.push(name);
    }
    w.raw('progs', `[${names.map(jstr).join(',')}]`);
    if (showIds) w.raw('prog_ids', `[${progs.slice(progs.length - Number(n)).map((p) => p.id).join(',')}]`);
    resErrno(w, null);
  }

  function opAttachDetach(w: Line, tok: string[], attach: boolean): void {
    const o = newOpts();
    if (tok.length < 2) fail('bad arguments');
    const at = parseDir(tok[1]);
    let p: SProg | null = null;
    let first = 2;
    if (attach) {
      p = (tok.length >= 3 ? progByName(tok[2]) : undefined) ?? fail('usage: attach DIR PROG [opts]');
      progFdChecked(p!);
      first = 3;
    }
    parseOpts(tok, first, o, !attach);
    if (!attach) p = o.prog;
    const a = {
      target_ifindex: target,
      attach_bpf_fd: p ? p.fd : 0,
      attach_type: at,
      attach_flags: o.flags,
      replace_bpf_fd: o.replaceFd,
      relative_fd: o.relative,
      expected_revision: o.rev,
    };
    sys(w, () => (attach ? proc.progAttach(a) : proc.progDetach(a)));
  }

  // setup: the oracle's veth pair
  const setupLine = new Line();
  {
    const inner = new Line();
    inner.str('netns', 'private (unshare CLONE_NEWNET)');
    const err = createDev(inner, 'veth0');
    if (err) inner.str('error', err);
    setupLine.raw('setup', inner.toString());
  }

  const lines: string[] = [];
  let scriptErrors = 0;
  const rawLines = text.split('\n');
  if (rawLines.length && rawLines[rawLines.length - 1] === '') rawLines.pop();
  rawLines.forEach((raw, i) => {
    const lineno = i + 1;
    let line = raw;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    const tok = line.split(/[ \t\r\n]+/).filter((t) => t !== '').slice(0, MAX_TOK);
    if (!tok.length) return;
    const w = new Line();
    w.num('line', lineno);
    w.str('op', tok.join(' ').slice(0, 1023));
    try {
      // Words from the script: only the table's own operations (not __proto__, constructor...).
      const f = Object.hasOwn(ops, tok[0]) ? ops[tok[0]] : fail(`unknown operation '${tok[0]}'`);
      f(w, tok);
    } catch (e) {
      if (!(e instanceof ScriptError)) throw e;
      w.str('result', 'script-error');
      w.str('message', e.message || 'bad arguments');
      scriptErrors++;
    }
    lines.push(w.toString());
  });

  return { setup: setupLine.toString(), lines, scriptErrors, exitCode: scriptErrors ? 3 : 0, host };
}
