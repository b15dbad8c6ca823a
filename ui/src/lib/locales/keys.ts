import type { CORE_WORDS } from '../bindings';
import type { es } from './es';

/** The keys of the UI's own texts. Spanish is the reference table. */
export type UiKey = keyof typeof es;

/** The keys of the core's words (field names, enumeration values, kinds), generated. */
export type CoreKey = keyof typeof CORE_WORDS.es;

/** Every translation key. */
export type MessageKey = UiKey | CoreKey;
