// The findings of the `local` rules, kept per statement (mirror unit) across a document's edits.
// While the module's outline (outline.ts) and everything else they read reads the same, a statement
// the edit left in place has the findings it had: only the new statements are analysed again.
import type { Position } from 'vscode-languageserver-types';
import type { Finding } from '../rules/rule';
import type { Source, Unit } from '../syntax/node';
import type { ModuleOutline } from './outline';
import { sameEntries } from './keptFacts';
import { lastAtMost, offsetAt, positionAt } from '../text/positions';

/**
 * A position as an offset from the start of the unit that holds it, or, between units, from the
 * start of its stretch of the outline (`gap`: the stretch's index), which reads the same while the
 * outline does. A class shell holds a position only outside its body statements and the stretches
 * between them: it is new whenever one of them changes.
 */
interface Anchor {
  unit?: Unit;
  gap?: number;
  offset: number;
}

interface Kept {
  finding: Finding;
  /** Its positions in `positionsOf` order. */
  anchors: Anchor[];
}

interface Entry {
  /** What else the findings read: the selection (by identity) and a key of options, rules and module facts. */
  selection: object;
  key: string;
  outline: readonly string[];
  byUnit: Map<Unit, Kept[]>;
}

/**
 * Per document, the last analyses' entries, newest first: two, so that an edit undone (a letter
 * typed, then deleted) finds the findings of the outline before it.
 */
const entries = new WeakMap<Source, Entry[]>();
const KEPT_ENTRIES = 2;

/** For tests: how many analyses reused kept findings. */
export const keptStats = { reused: 0 };

export interface Reuse {
  /** The units whose findings must be computed, in document order. */
  dirty: Unit[];
  /** The findings kept for the other units, at their positions in the current text. */
  kept: Finding[];
}

/** A finding's positions: its range, then its fix's edits' ranges, then its related ranges. */
function positionsOf(f: Finding): Position[] {
  const all = [f.range.start, f.range.end];
  for (const edit of f.fix?.edits ?? []) all.push(edit.range.start, edit.range.end);
  for (const rel of f.related ?? []) all.push(rel.range.start, rel.range.end);
  return all;
}

/** The finding with its positions replaced, in `positionsOf` order. */
function withPositions(f: Finding, at: Position[]): Finding {
  let i = 2;
  const next = () => ({ start: at[i++], end: at[i++] });
  const moved: Finding = { ...f, range: { start: at[0], end: at[1] } };
  if (f.fix) moved.fix = { ...f.fix, edits: f.fix.edits.map((edit) => ({ ...edit, range: next() })) };
  if (f.related) moved.related = f.related.map((rel) => ({ ...rel, range: next() }));
  return moved;
}

export class FindingCache {
  private readonly entry: Entry | undefined;
  /** Where each unit starts, for `anchorAt`. */
  private bases?: number[];

  constructor(
    private readonly source: Source,
    private readonly units: readonly Unit[],
    private readonly selection: object,
    private readonly key: string,
    private readonly outline: ModuleOutline,
  ) {
    this.entry = entries.get(source)?.find((last) => last.selection === selection && last.key === key && sameEntries(last.outline, outline.entries));
  }

  /** What the last analysis leaves to reuse, or undefined when everything must be analysed. */
  reuse(): Reuse | undefined {
    if (!this.entry) return undefined;
    const dirty: Unit[] = [];
    const kept: Finding[] = [];
    const { lineStarts } = this.source;
    const last = this.entry.byUnit;
    const current = new Set(this.units);
    for (const unit of this.units) {
      const list = last.get(unit);
      if (!list) {
        dirty.push(unit);
        continue;
      }
      for (const { finding, anchors } of list) {
        const at: Position[] = [];
        for (const anchor of anchors) {
          // Relative to a unit the edit replaced: the outline held, but the position cannot be placed.
          if (anchor.unit && !(last.has(anchor.unit) && current.has(anchor.unit))) return undefined;
          const base = anchor.unit ? anchor.unit.baseIndex : this.outline.gapStarts[anchor.gap!];
          at.push(positionAt(lineStarts, base + anchor.offset));
        }
        kept.push(withPositions(finding, at));
      }
    }
    keptStats.reused++;
    return { dirty, kept };
  }

  /**
   * Keeps the findings for the next analysis: `found` are those just computed, for the dirty units
   * of `reuse` (or for all units). False when one of them lies outside those units, which a local
   * rule must not report, or a position cannot be kept: then nothing is kept.
   */
  store(found: readonly Finding[], reuse: Reuse | undefined): boolean {
    const fresh = new Map<Unit, Kept[]>();
    for (const unit of reuse ? reuse.dirty : this.units) fresh.set(unit, []);
    const { text, lineStarts } = this.source;
    for (const finding of found) {
      const anchors: Anchor[] = [];
      for (const position of positionsOf(finding)) {
        const offset = offsetAt(lineStarts, text, position);
        const back = positionAt(lineStarts, offset);
        if (back.line !== position.line || back.character !== position.character) return this.forget();
        const anchor = this.anchorAt(offset);
        if (!anchor) return this.forget();
        anchors.push(anchor);
      }
      const { unit, offset } = anchors[0];
      const list = unit && offset >= 0 && offset <= unit.length ? fresh.get(unit) : undefined;
      if (!list) return this.forget();
      list.push({ finding, anchors });
    }
    const byUnit = new Map<Unit, Kept[]>();
    for (const unit of this.units) byUnit.set(unit, fresh.get(unit) ?? this.entry!.byUnit.get(unit)!);
    const older = (entries.get(this.source) ?? []).filter((e) => e !== this.entry).slice(0, KEPT_ENTRIES - 1);
    entries.set(this.source, [{ selection: this.selection, key: this.key, outline: this.outline.entries, byUnit }, ...older]);
    return true;
  }

  /** Keeps nothing: the next analysis of the document analyses everything. */
  forget(): false {
    entries.delete(this.source);
    return false;
  }

  private anchorAt(offset: number): Anchor | undefined {
    this.bases ??= this.units.map((unit) => unit.baseIndex);
    const i = lastAtMost(this.bases, offset);
    const unit = i >= 0 ? this.units[i] : undefined;
    if (unit && !unit.isShell && offset <= unit.baseIndex + unit.length) return { unit, offset: offset - unit.baseIndex };
    const { entries, gapStarts } = this.outline;
    const k = lastAtMost(gapStarts, offset);
    if (k >= 0 && offset <= gapStarts[k] + entries[2 * k].length) return { gap: k, offset: offset - gapStarts[k] };
    // In a class shell's own text (its header): the shell holds it.
    for (let j = i; j >= 0; j--) {
      const shell = this.units[j];
      if (shell.isShell && offset <= shell.baseIndex + shell.length) return { unit: shell, offset: offset - shell.baseIndex };
    }
    return undefined;
  }
}
