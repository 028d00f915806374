/**
 * @fileoverview Turns the recorder's output (record.c: one JSON array per object) into the goldens
 * test/goldens/verifier-selftests/<file>.json. Run by record.sh; the verdicts, errnos and logs are
 * the kernel's. What this adds: the error line picked from the log (kernel-log.ts), the
 * test_loader annotations parsed, kernel addresses in logs masked (they change per boot), and a
 * skip reason for programs the kernel could not judge here.
 *
 *   npx tsx test/corpus/verifier-selftests/goldens.ts RAW_DIR KERNEL_RELEASE
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { kernelError } from './kernel-log.js';

interface RawProgram {
  name: string;
  section: string;
  type: string;
  autoload: boolean;
  annotations: string[];
  /** null: a program of another type, listed but not loaded. */
  verdict: 'accept' | 'reject' | null;
  errno?: number;
  log_tail?: string[];
  libbpf_tail?: string[];
}

/** The test_loader annotations (bpf_misc.h decl tags), for reference. */
export interface Annotations {
  /** __success / __failure (privileged mode); null when neither is given (test_loader: success). */
  expect: 'success' | 'failure' | null;
  /** __msg(...) in order. */
  msgs: string[];
  /** __retval(...) as written. */
  retval?: string;
  /** __flag(...): prog flags the test loads with (not used here, see record.c). */
  flags: string[];
  description?: string;
  /** Every other tag, unparsed (unpriv expectations, log level, arch, ...). */
  other: string[];
}

export function parseAnnotations(tags: readonly string[]): Annotations {
  const a: Annotations = { expect: null, msgs: [], flags: [], other: [] };
  for (const t of tags) {
    if (t === 'test_expect_success') a.expect = 'success';
    else if (t === 'test_expect_failure') a.expect = 'failure';
    else if (t.startsWith('test_expect_msg=')) a.msgs.push(t.replace(/^test_expect_msg=\d+=/, ''));
    else if (t.startsWith('test_retval=')) a.retval = t.slice('test_retval='.length);
    else if (t.startsWith('test_prog_flags=')) a.flags.push(t.slice('test_prog_flags='.length));
    else if (t.startsWith('test_description=')) a.description = t.slice('test_description='.length);
    else a.other.push(t);
  }
  return a;
}

const errname = (n: number): string =>
  Object.entries(constants.errno).find(([, v]) => v === n)?.[0] ?? String(n);

/** Kernel pointers printed in logs (map addresses) differ per boot. */
const maskAddresses = (s: string): string => s.replace(/0xffff[89a-e][0-9a-f]{11}/g, (m) => `${m.slice(0, 7)}___________`);

/** Why the kernel's verdict on this program is not a verifier verdict we can compare to. */
function skipReason(p: RawProgram, a: Annotations): string | undefined {
  if (p.verdict === null) return `program type ${p.type} (only sched_cls and socket_filter are recorded)`;
  if (a.other.some((t) => t.startsWith('test_btf_path='))) return 'needs the custom target BTF of __btf_path (CO-RE test)';
  if (p.verdict === 'reject' && (p.log_tail ?? []).length === 0) {
    const libbpf = (p.libbpf_tail ?? []).join('\n');
    if (/not found in kernel or module BTFs/.test(libbpf)) return 'needs kfuncs of the bpf_testmod kernel module (not loaded)';
    return 'libbpf failed before the verifier ran';
  }
  return undefined;
}

function main(): void {
  const [rawDir, release] = process.argv.slice(2);
  if (!rawDir || !release) throw new Error('usage: goldens.ts RAW_DIR KERNEL_RELEASE');
  const out = new URL('../../goldens/verifier-selftests/', import.meta.url);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(rawDir).filter((x) => x.endsWith('.json')).sort()) {
    const file = f.replace(/\.json$/, '');
    const raw = JSON.parse(readFileSync(`${rawDir}/${f}`, 'utf8')) as RawProgram[];
    const programs = raw.map((p) => {
      const annotations = parseAnnotations(p.annotations);
      const skip = skipReason(p, annotations);
      const base = { name: p.name, section: p.section, type: p.type, annotations, verdict: p.verdict, errno: p.errno ?? null, errname: p.errno ? errname(p.errno) : null };
      if (p.verdict !== 'reject') return { ...base, ...(skip ? { skip } : {}) };
      const log = (p.log_tail ?? []).map(maskAddresses);
      const err = kernelError(log);
      return {
        ...base,
        ...(skip ? { skip } : {}),
        message: err?.message ?? null,
        messages: err?.messages ?? [],
        insn: err?.insn ?? null,
        log_tail: log.slice(-15),
        ...(log.length === 0 ? { libbpf_tail: (p.libbpf_tail ?? []).map(maskAddresses) } : {}),
      };
    });
    const doc = {
      source: `tools/testing/selftests/bpf/progs/${file}.c`,
      object: `test/corpus/verifier-selftests/obj/${file}.bpf.o`,
      command: `record ${file}.bpf.o (libbpf 1.5 of linux-source-6.12, one program at a time, root), kernel ${release}`,
      programs,
    };
    writeFileSync(new URL(`${file}.json`, out), JSON.stringify(doc, null, 1) + '\n');
  }
}

main();
