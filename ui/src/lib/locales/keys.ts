import type { es } from './es';

/** Every translation key. Spanish is the reference table. */
export type MessageKey = keyof typeof es;
