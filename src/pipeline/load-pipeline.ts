import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { configError, notFoundError } from '../errors.js';
import type { ParamOverride } from './param-overrides.js';
import { describeIssues } from './describe-issues.js';
import { checkPipeline, leakageProblems } from './pipeline-checks.js';
import { pipelineSchema, type PipelineSpec } from './schema.js';
import { locatePath } from './yaml-locate.js';

/** One validation error, located in the file. */
export interface PipelineIssue {
  path: string;
  message: string;
  line?: number;
  col?: number;
}

export interface LoadedPipeline {
  spec: PipelineSpec;
  /** The pipeline as run: the file's text with the --param overrides applied (comments kept). */
  frozenYaml: string;
  file: string;
}

/**
 * Reads and validates a pipeline file. Syntax errors, schema errors and the
 * semantic checks all come back together in one SmxError (exit 2) whose message
 * lists `file:line:col  path: message` per problem, and whose details carry them.
 */
export function loadPipeline(file: string, overrides: readonly ParamOverride[] = []): LoadedPipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a folder, not a YAML file'
          : `cannot be read (${code ?? (error as Error).message})`;
    throw notFoundError(`Pipeline file ${path.relative(process.cwd(), file) || file} ${reason}.`, {
      hint: 'Pipelines live in pipelines/*.yaml; pass the path, e.g. smx train pipelines/ai4i-failure-rf.yaml',
    });
  }
  return parsePipeline(text, file, overrides);
}

export function parsePipeline(
  text: string,
  file = '<pipeline>',
  overrides: readonly ParamOverride[] = [],
): LoadedPipeline {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { path: '', message: e.message.split('\n')[0] ?? e.message, line: pos.line, col: pos.col };
    });
    throw invalid(file, issues);
  }
  const overridden = new Set<string>();
  for (const o of overrides) {
    doc.setIn(o.path, o.value);
    overridden.add(o.path.join('.'));
  }
  const parsed = pipelineSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    // An unknown key (often a typo) is reported at the key itself, not at its parent mapping.
    const described = describeIssues(parsed.error.issues, (p) => doc.getIn(p as unknown[]));
    // Leakage is reported with the schema errors, so fixing a typo does not reveal a second round of problems.
    const problems = [...described, ...leakageProblems(doc.toJS())].map((d) =>
      locate(doc, lineCounter, d.path, d.message, overridden),
    );
    throw invalid(
      file,
      problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.col ?? 0) - (b.col ?? 0)),
    );
  }
  const problems = checkPipeline(parsed.data);
  if (problems.length > 0)
    throw invalid(
      file,
      problems.map((p) => locate(doc, lineCounter, p.path, p.message, overridden)),
    );
  return { spec: parsed.data, frozenYaml: doc.toString(), file };
}

function locate(
  doc: Document,
  lineCounter: LineCounter,
  issuePath: readonly PropertyKey[],
  message: string,
  overridden: Set<string>,
): PipelineIssue {
  const dotted = issuePath.map(String).join('.');
  const fromParam = [...overridden].some((key) => dotted === key || dotted.startsWith(key + '.'));
  const pos = fromParam ? undefined : locatePath(doc, lineCounter, issuePath);
  return {
    path: dotted || '(top level)',
    message: fromParam ? `${message} (value set by --param ${dotted})` : message,
    line: pos?.line,
    col: pos?.col,
  };
}

function invalid(file: string, issues: PipelineIssue[]) {
  const where = path.relative(process.cwd(), file) || file;
  const lines = issues.map(
    (i) => `  ${where}${i.line ? `:${i.line}:${i.col}` : ''}  ${i.path ? i.path + ': ' : ''}${i.message}`,
  );
  return configError(
    `Pipeline ${where} is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    {
      hint: 'docs/models.md describes every key of a pipeline file.',
      details: { file: where, issues },
    },
  );
}
