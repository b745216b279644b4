/**
 * The session languages the stand-in knows (SET LANGUAGE, the LOGIN7 language): each carries what
 * SQL Server's sys.syslanguages row gives it — the default DATEFORMAT and DATEFIRST and the month
 * and weekday names that date strings, DATENAME and CONVERT style 0 use. SQL Server has 34; these
 * are the ones clients commonly set. An unknown name is SQL Server's error 2738.
 */
export type DateFormat = 'mdy' | 'dmy' | 'ymd' | 'ydm' | 'myd' | 'dym';

export interface Language {
  /** The name @@LANGUAGE reports. */
  name: string;
  /** The alias SET LANGUAGE also accepts. */
  alias: string;
  langid: number;
  dateFormat: DateFormat;
  dateFirst: number;
  months: string[];
  shortMonths: string[];
  /** Sunday first, as DATEPART(weekday) counts with DATEFIRST 7. */
  days: string[];
}

const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ENGLISH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ENGLISH_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const US_ENGLISH: Language = {
  name: 'us_english', alias: 'English', langid: 0, dateFormat: 'mdy', dateFirst: 7,
  months: ENGLISH_MONTHS, shortMonths: ENGLISH_SHORT, days: ENGLISH_DAYS,
};

export const LANGUAGES: Language[] = [
  US_ENGLISH,
  { name: 'Deutsch', alias: 'German', langid: 1, dateFormat: 'dmy', dateFirst: 1,
    months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
    shortMonths: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'],
    days: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'] },
  { name: 'Français', alias: 'French', langid: 2, dateFormat: 'dmy', dateFirst: 1,
    months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    shortMonths: ['janv', 'févr', 'mars', 'avr', 'mai', 'juin', 'juil', 'août', 'sept', 'oct', 'nov', 'déc'],
    days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'] },
  { name: 'Español', alias: 'Spanish', langid: 5, dateFormat: 'dmy', dateFirst: 1,
    months: ['Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'],
    shortMonths: ['Ene', 'Feb', 'Mar', 'Abr', 'May', 'Jun', 'Jul', 'Ago', 'Sep', 'Oct', 'Nov', 'Dic'],
    days: ['Domingo', 'Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado'] },
  { name: 'Italiano', alias: 'Italian', langid: 6, dateFormat: 'dmy', dateFirst: 1,
    months: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
    shortMonths: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
    days: ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato'] },
  { name: 'British', alias: 'British English', langid: 23, dateFormat: 'dmy', dateFirst: 1,
    months: ENGLISH_MONTHS, shortMonths: ENGLISH_SHORT, days: ENGLISH_DAYS },
];

/** The language of a SET LANGUAGE / LOGIN7 name or alias (case-insensitive), or undefined. */
export function findLanguage(name: string): Language | undefined {
  const wanted = name.trim().toLowerCase();
  return LANGUAGES.find((language) => language.name.toLowerCase() === wanted || language.alias.toLowerCase() === wanted);
}

/** The month (1–12) a full or abbreviated name means in `language` (only its own names count, as on SQL Server). */
export function monthFromName(word: string, language: Language): number | undefined {
  const wanted = word.toLowerCase();
  const index = language.months.findIndex((month, i) => month.toLowerCase() === wanted || language.shortMonths[i].toLowerCase() === wanted);
  return index >= 0 ? index + 1 : undefined;
}
