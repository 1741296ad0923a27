// One message catalogue per language (en.ts, ja.ts) for everything Shirabe says outside the
// renderer's pages: errors by code, the words parameters stand for, the desktop menu and the
// command line. The renderer's pages keep their strings beside each workflow
// (renderer/src/workflows/<w>/i18n.ts) and show errors from here.
import type { ErrorCode, ErrorInfo, ErrorParams } from '../errors';
import { en } from './en';
import { ja } from './ja';

export type Language = 'ja' | 'en';
export const languages: readonly Language[] = ['ja', 'en'];

/** What each language's catalogue holds: en.ts's namespaces and keys, every error code a plain template. */
export type Catalogue = Omit<typeof en, 'errors'> & { errors: Record<ErrorCode, string> };
/** The English templates by code, as literal types: errors.ts reads each code's parameters from them. */
export type EnglishMessages = typeof en.errors;
export type CliText = Catalogue['cli'];
export type MenuLabels = Catalogue['menu'];

const catalogues: Record<Language, Catalogue> = { en, ja };

export function catalogue(language: Language): Catalogue {
  return catalogues[language];
}

/** Fills a template's {name}s; a parameter that is a word (a status, a split) is shown in `language`. */
export function formatMessage(template: string, params: ErrorParams, language: Language = 'en'): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    const terms: Record<string, Record<string, string> | undefined> = catalogues[language].terms;
    return terms[name]?.[value] ?? value;
  });
}

export function errorMessage(error: ErrorInfo, language: Language): string {
  return formatMessage(catalogues[language].errors[error.code], error.params, language);
}

export function errorTemplate(code: ErrorCode, language: Language): string {
  return catalogues[language].errors[code];
}

/** The language a command line asked for through LANG / LC_ALL / LC_MESSAGES. */
export function languageFromLocale(locale: string | undefined): Language {
  return locale && /^ja/i.test(locale) ? 'ja' : 'en';
}
