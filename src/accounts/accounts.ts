// The accounts the extension signs requests for: a name, an endpoint, zones, and where the
// account's key lives in SecretStorage. Read from the settings; no `vscode` import.
import { DEFAULT_ENDPOINT, parseEndpoint } from '../ehpc/endpoint';

export interface Account {
  readonly name: string;
  readonly endpoint: string;
  readonly zones: readonly string[];
  /** The SecretStorage entry that holds this account's key pair. */
  readonly secretKey: string;
  /**
   * Made from `ehpc.endpoint` and `ehpc.zones` because `ehpc.accounts` is empty: the one
   * account of a user who never added another. Its key is where it always was.
   */
  readonly implicit: boolean;
}

/** What `ehpc.accounts` holds, one entry per account. */
export interface AccountSetting {
  name: string;
  endpoint: string;
  zones: string[];
}

/** Where the single account's key has always been stored: an upgrading user keeps it. */
export const LEGACY_SECRET_KEY = 'ehpc.credentials';
const DEFAULT_ZONES = ['jn1a'];
export const MAX_NAME_LENGTH = 64;

export function secretKeyFor(name: string): string {
  return `${LEGACY_SECRET_KEY}/${name}`;
}

/** The settings the accounts are read from; every value as found, unchecked. */
export interface RawSettings {
  /** `ehpc.accounts`, from the user's settings only. */
  accounts?: unknown;
  /** `ehpc.endpoint`, from the user's settings only. */
  endpoint?: unknown;
  zones?: unknown;
}

/** An entry of `ehpc.accounts` left out, and why. */
export interface LeftOut {
  index: number;
  problem: NameProblem;
}

export interface AccountsRead {
  accounts: Account[];
  /** Entries left out, and why, for the log and one warning. */
  problems: LeftOut[];
}

/**
 * The accounts: `ehpc.accounts` when it names any, else one account made from the
 * single-account settings. An entry without a usable name, or with a name already taken,
 * is left out (and said): two accounts under one name would share a key.
 */
export function readAccounts(raw: RawSettings): AccountsRead {
  const listed = Array.isArray(raw.accounts) ? raw.accounts : [];
  if (listed.length === 0) {
    const endpoint = endpointOf(raw.endpoint);
    return { accounts: [{ name: implicitName(endpoint), endpoint, zones: zonesOf(raw.zones), secretKey: LEGACY_SECRET_KEY, implicit: true }], problems: [] };
  }
  const accounts: Account[] = [];
  const problems: LeftOut[] = [];
  listed.forEach((entry, index) => {
    const value = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const problem = nameProblem(value.name, accounts);
    if (problem) {
      problems.push({ index, problem });
      return;
    }
    const name = accountName(value.name as string);
    accounts.push({ name, endpoint: endpointOf(value.endpoint), zones: zonesOf(value.zones), secretKey: secretKeyFor(name), implicit: false });
  });
  return { accounts, problems };
}

/**
 * Why a name cannot name a new account: none, too long, with control or invisible characters,
 * taken, or looking like a name taken (letters of another script drawn like its own).
 */
export type NameProblem = 'empty' | 'tooLong' | 'control' | 'invisible' | 'taken' | 'lookalike';

/** Why `name` cannot name a new account next to `accounts` (see sameName), or undefined. */
export function nameProblem(name: unknown, accounts: readonly Pick<Account, 'name'>[]): NameProblem | undefined {
  if (typeof name !== 'string' || accountName(name) === '') {
    return 'empty';
  }
  const normal = accountName(name);
  if (normal.length > MAX_NAME_LENGTH) {
    return 'tooLong';
  }
  // Every control character (Unicode's Cc: C0, DEL and C1), for a name goes into log lines and labels.
  if (/\p{Cc}/u.test(normal)) {
    return 'control';
  }
  // Characters that show as nothing (zero-width, joiners, bidi marks, variation selectors,
  // fillers) would make two names look alike: "Lab" and "La\u200Bb".
  if (/[\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u.test(normal)) {
    return 'invisible';
  }
  if (findAccount(accounts, normal)) {
    return 'taken';
  }
  const looks = lookalikeKey(normal);
  return accounts.some((account) => lookalikeKey(account.name) === looks) ? 'lookalike' : undefined;
}

/** A name as it is kept: trimmed, and in one Unicode spelling (NFC: "Café" typed two ways is one name). */
export function accountName(name: string): string {
  return name.normalize('NFC').trim();
}

/**
 * What names are compared by: without case, width or spelling differences, and with runs of
 * spaces as one ("Lab", "lab", "Ｌａｂ" are one name; the chat model may not keep the case either).
 */
function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * Cyrillic and Greek letters drawn like Latin ones, and the Latin letter each looks like: "Lаb"
 * with a Cyrillic а reads as "Lab" in a confirmation. NFKC keeps them apart (they are other
 * letters), so a name that matches another only through them is refused as a look-alike. Only
 * letters that look the same in common fonts, capitals and small letters.
 */
const LATIN_LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  А: 'A', В: 'B', С: 'C', Е: 'E', Н: 'H', І: 'I', Ј: 'J', К: 'K', М: 'M', О: 'O', Р: 'P', Ѕ: 'S', Т: 'T', Х: 'X', Ү: 'Y', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'l',
  а: 'a', с: 'c', ԁ: 'd', е: 'e', һ: 'h', і: 'i', ј: 'j', ӏ: 'l', о: 'o', р: 'p', ԛ: 'q', ѕ: 's', ԝ: 'w', х: 'x', у: 'y',
  // Greek
  Α: 'A', Β: 'B', Ϲ: 'C', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Ϳ: 'J', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  α: 'a', ϲ: 'c', ι: 'i', ϳ: 'j', ν: 'v', ο: 'o', ρ: 'p', υ: 'u', γ: 'y',
};

/** A name as it looks: its nameKey with every look-alike letter taken for the Latin one. */
function lookalikeKey(name: string): string {
  const folded = [...name.normalize('NFKC')].map((char) => LATIN_LOOKALIKES[char] ?? char).join('');
  return nameKey(folded);
}

/** The account of that name (see nameKey). */
export function findAccount<T extends Pick<Account, 'name'>>(accounts: readonly T[], name: string): T | undefined {
  const wanted = nameKey(name);
  return accounts.find((account) => nameKey(account.name) === wanted);
}

/** What `ehpc.accounts` holds for these accounts: the implicit one becomes an entry too. */
export function toSettings(accounts: readonly Account[]): AccountSetting[] {
  return accounts.map(({ name, endpoint, zones }) => ({ name, endpoint, zones: [...zones] }));
}

/**
 * The name the implicit account goes by: QingCloud's public service, or the host of the
 * endpoint the user set (a supercomputing centre's, a private deployment's), without a port:
 * the user never chose a name, and "127.0.0.1:46517" reads as an address, not a name.
 */
export function implicitName(endpoint: string): string {
  if (endpoint === DEFAULT_ENDPOINT) {
    return 'QingCloud';
  }
  try {
    return parseEndpoint(endpoint).host.replace(/:\d+$/, '');
  } catch {
    return endpoint.slice(0, MAX_NAME_LENGTH);
  }
}

/** The zones typed in one line, separated by commas, spaces or Chinese commas; each once. */
export function splitZones(value: string): string[] {
  return [...new Set(value.split(/[\s,，、]+/u).filter((zone) => zone !== ''))];
}

/** What `ehpc.accounts` holds after one account's zones or endpoint change; the others as they are. */
export function editedSettings(accounts: readonly Account[], name: string, edit: Partial<Pick<AccountSetting, 'zones' | 'endpoint'>>): AccountSetting[] {
  return toSettings(accounts).map((entry) => (entry.name === name ? { ...entry, ...edit } : entry));
}

/** A bad endpoint is kept as written: the account's rows then say what is wrong with it. */
function endpointOf(value: unknown): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_ENDPOINT;
}

function zonesOf(value: unknown): string[] {
  const zones = (Array.isArray(value) ? value : [])
    .filter((zone): zone is string => typeof zone === 'string')
    .map((zone) => zone.trim())
    .filter((zone) => zone !== '');
  return zones.length > 0 ? [...new Set(zones)] : [...DEFAULT_ZONES];
}
