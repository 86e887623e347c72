/**
 * The directory of people and organisations (names and addresses), read from its file. Both the
 * mail activities and the API's pages read it; it lives here so neither imports the other.
 * Names are for showing only: never in ids, search attributes or logs.
 */
import { ORGANISATIONS } from '../domain/organisations';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { Ref } from '../domain/schemas/model';
import { readJsonFile } from './json-file';

/**
 * A name as mail headers and pages show it: no control characters (a line break in a name could
 * add a header or a line to a mail) and no bidirectional overrides (which reorder what is shown).
 */
const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(
    (name) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(name),
    'Een naam mag geen stuurtekens bevatten (regeleinden, tabs, richtingstekens).',
  );

const Person = z.strictObject({
  name: DisplayName,
  email: z.email(),
});

export const DirectorySchema = z.strictObject({
  $comment: z.string().optional(),
  professionals: z.record(
    Ref,
    Person.extend({
      organisation: Ref,
      /** Receive level-0 reminders once a day in one digest instead of one mail each. */
      digest: z.boolean().optional(),
      /** The identity provider's `sub` of this person, when logins are matched by it rather than by e-mail. */
      subject: z.string().min(1).max(255).optional(),
    }),
  ),
  organisations: z.record(
    Ref,
    z.strictObject({
      name: DisplayName,
      /** The teamleider / lead who hears of escalations at level 2 and of unknown professionals. */
      leadEmail: z.email(),
      leadName: DisplayName,
    }),
  ),
  coordinator: Person,
});
export type Directory = z.infer<typeof DirectorySchema>;

/** Reads and validates a directory file; the error names the field, never the value. */
export function loadDirectory(file: string): Directory {
  return readJsonFile(file, DirectorySchema, 'directory file');
}

/**
 * A directory that follows its file: re-read when the file's mtime or size changes, so new
 * professionals are reachable without restarting the worker. A broken edit throws (the mail
 * activity then fails retryably and is delivered once the file is fixed), never silently drops.
 */
export function directoryFromFile(file: string): () => Directory {
  let cached: { stamp: string; directory: Directory } | undefined;
  return () => {
    const st = statSync(file);
    const stamp = `${st.mtimeMs}:${st.size}`;
    if (!cached || cached.stamp !== stamp) cached = { stamp, directory: loadDirectory(file) };
    return cached.directory;
  };
}

/** The empty directory: everyone is shown by id (an API started without a directory file). */
export const EMPTY_DIRECTORY: Directory = {
  professionals: {},
  organisations: {},
  coordinator: { name: 'Coördinator', email: 'coordinator@example.invalid' },
};

const idPatterns = new WeakMap<Directory, RegExp | null>();

/** One expression for every professional id of a directory, matched as a whole id (not inside another). */
function professionalIdPattern(directory: Directory): RegExp | null {
  if (!idPatterns.has(directory)) {
    const ids = Object.keys(directory.professionals).sort((a, b) => b.length - a.length);
    const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    idPatterns.set(directory, ids.length ? new RegExp(`(?<![\\w-])(?:${escaped.join('|')})(?![\\w-])`, 'g') : null);
  }
  return idPatterns.get(directory)!;
}

/**
 * Names for pages: "Sanne de Vries (Veilig Thuis Haaglanden)" for a professional, the
 * organisation's name for an organisation; whoever the directory does not know is shown by id.
 * Only for what people read: never for ids, search attributes or logs.
 */
export class DirectoryNames {
  constructor(private readonly directory: () => Directory) {}

  /** The directory's name, else the region's list (domain/organisations.json), else the id. */
  organisation(id: string): string {
    return this.directory().organisations[id]?.name ?? (Object.hasOwn(ORGANISATIONS, id) ? ORGANISATIONS[id]! : id);
  }

  /** Every organisation the directory or the region's list knows, by name, for a choice in a form. */
  organisations(): { id: string; name: string }[] {
    const ids = new Set([...Object.keys(ORGANISATIONS), ...Object.keys(this.directory().organisations)]);
    return [...ids].map((id) => ({ id, name: this.organisation(id) })).sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }

  /** Every professional of the directory, "name (organisation)", for a choice in a form. */
  professionals(): { id: string; name: string }[] {
    return Object.keys(this.directory().professionals)
      .map((id) => ({ id, name: this.professional(id) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }

  /** The organisation the directory gives a professional, if it knows them. */
  organisationOf(professionalId: string): string | undefined {
    return this.directory().professionals[professionalId]?.organisation;
  }

  /** The region's coordinator, by name when the directory gives one. */
  coordinator(): string {
    return `${this.directory().coordinator.name} (coördinator)`;
  }

  /**
   * A reason text of the workflow's, which names professionals by pseudonymous id, with each id the
   * directory knows replaced by "name (organisation)" (R-24's handover, R-62's override). Ids the
   * directory does not know stay as they are.
   */
  inText(text: string): string {
    const pattern = professionalIdPattern(this.directory());
    return pattern ? text.replace(pattern, (id) => this.professional(id)) : text;
  }

  professional(professionalId: string, organisation?: string): string {
    const entry = this.directory().professionals[professionalId];
    const name = entry?.name ?? professionalId;
    const org = organisation ?? entry?.organisation;
    return org ? `${name} (${this.organisation(org)})` : name;
  }
}
