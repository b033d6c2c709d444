// Output formats of `concurrency-coach check`.
import type { TextEdit } from 'vscode-languageserver-types';
import type { Finding } from '../rules/rule';
import { RULES } from '../rules/index';
import { codePointColumn } from '../text/positions';
import { REPOSITORY } from './links';

export interface FileFindings {
  file: string;
  /** Source lines, to turn UTF-16 columns into code points. */
  lines: string[];
  findings: Finding[];
}

interface JsonEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  name: string;
  severity: string;
  message: string;
  fix: null | { title: string; safe: boolean; edits: JsonEdit[] };
}

function point(lines: string[], line: number, character: number): { line: number; column: number } {
  return { line: line + 1, column: codePointColumn(lines[line] ?? '', character) + 1 };
}

function jsonEdit(lines: string[], edit: TextEdit): JsonEdit {
  const start = point(lines, edit.range.start.line, edit.range.start.character);
  const end = point(lines, edit.range.end.line, edit.range.end.character);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column, newText: edit.newText };
}

export function toJson(results: FileFindings[]): JsonFinding[] {
  return results.flatMap(({ file, lines, findings }) =>
    findings.map((f) => {
      const start = point(lines, f.range.start.line, f.range.start.character);
      const end = point(lines, f.range.end.line, f.range.end.character);
      return {
        file,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        code: f.code,
        name: f.name,
        severity: f.severity,
        message: f.message,
        fix: f.fix ? { title: f.fix.title, safe: f.fix.safe, edits: f.fix.edits.map((e) => jsonEdit(lines, e)) } : null,
      };
    }),
  );
}

export function formatText(results: FileFindings[]): string {
  return toJson(results).map((f) => `${f.file}:${f.line}:${f.column}: ${f.code} [${f.name}] ${f.message}\n`).join('');
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(results: FileFindings[], version: string, helpUri: (code: string) => string): string {
  const findings = toJson(results);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        columnKind: 'unicodeCodePoints',
        tool: {
          driver: {
            name: 'concurrency-coach',
            version,
            informationUri: REPOSITORY,
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.summary },
              helpUri: helpUri(r.code),
              help: { text: r.summary, markdown: r.docs },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: RULES.findIndex((r) => r.code === f.code),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
