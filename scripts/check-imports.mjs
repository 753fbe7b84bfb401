#!/usr/bin/env node
// The layering rules of DEVELOPERS.md, checked over src/'s import graph (run by `npm run lint`):
// - no import cycle between files, and none between src/ folders (a file directly under src/
//   is a node of its own), type-only and dynamic imports included;
// - `pg` and `pg-copy-streams` imported only under src/db/;
// - SQL naming sensor_readings, sensor_readings_hourly or sensor_hourly only under src/db/queries/.
// Exits 1 with every finding listed. Usage: node scripts/check-imports.mjs [src-dir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const srcDir = path.resolve(process.argv[2] ?? path.join(root, 'src'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

// `import … from '…'`, `export … from '…'`, `import '…'`, `import('…')`; comments removed first.
const specifierPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

// SQL that reads or writes the readings tables (a help text naming one is not SQL).
const sqlOnReadings =
  /\b(?:from|into|join|update|copy|table)\s+sensor_(?:readings|readings_hourly|hourly)\b|'sensor_readings'::regclass/i;

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const files = walk(srcDir).sort(byName);
const relative = (file) => path.relative(srcDir, file);
const edges = new Map(); // file → Set(file)
const findings = [];
for (const file of files) {
  const code = stripComments(readFileSync(file, 'utf8'));
  const targets = new Set();
  for (const [, specifier] of code.matchAll(specifierPattern)) {
    if (specifier.startsWith('.')) {
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      if (target.startsWith(srcDir + path.sep)) targets.add(target);
    } else if (/^pg(-copy-streams)?$/.test(specifier) && !relative(file).startsWith(`db${path.sep}`)) {
      findings.push(`${relative(file)}: imports '${specifier}' (only src/db/ may; use the Db interface)`);
    }
  }
  edges.set(file, targets);
  const table = sqlOnReadings.exec(code);
  if (table && !relative(file).startsWith(path.join('db', 'queries') + path.sep))
    findings.push(
      `${relative(file)}: has SQL on the readings tables (${table[0]}) (its queries live in src/db/queries/)`,
    );
}

/** Tarjan's strongly connected components; every component with more than one node is a cycle. */
function cycles(nodes, next) {
  let index = 0;
  const order = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!order.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), order.get(to)));
    }
    if (low.get(node) === order.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort(byName));
    }
  };
  for (const node of nodes) if (!order.has(node)) visit(node);
  return found;
}

for (const component of cycles(files, (file) => edges.get(file) ?? [])) {
  findings.push(`file cycle: ${component.map(relative).join(' ↔ ')}`);
}

const folderOf = (file) => relative(file).split(path.sep)[0];
const folderEdges = new Map();
const witness = new Map(); // "a→b" → one import that makes the edge
for (const [file, targets] of edges) {
  for (const target of targets) {
    const [from, to] = [folderOf(file), folderOf(target)];
    if (from === to) continue;
    if (!folderEdges.has(from)) folderEdges.set(from, new Set());
    folderEdges.get(from).add(to);
    if (!witness.has(`${from}→${to}`)) witness.set(`${from}→${to}`, `${relative(file)} → ${relative(target)}`);
  }
}
for (const component of cycles([...folderEdges.keys()].sort(byName), (folder) => folderEdges.get(folder) ?? [])) {
  const members = new Set(component);
  const imports = [...witness].filter(([edge]) => edge.split('→').every((f) => members.has(f))).map(([, w]) => w);
  findings.push(`folder cycle: ${component.join(' ↔ ')} (${imports.join('; ')})`);
}

if (findings.length) {
  process.stderr.write(`check-imports: ${findings.length} finding(s)\n${findings.map((f) => `  ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  `check-imports: ${files.length} files, no cycle, pg only under src/db/, readings SQL only under src/db/queries/\n`,
);
