import type { en } from './en';

/** Every language has exactly the English catalogue's namespaces and keys (checked by the compiler). */
export type Catalogue = { [N in keyof typeof en]: { [K in keyof (typeof en)[N]]: string } };
