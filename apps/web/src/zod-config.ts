/**
 * Zod compiles object schemas with `new Function` unless told not to; the page's Content Security
 * Policy (no 'unsafe-eval') refuses that, and each refusal is an error in the browser's console.
 * Imported first by main.tsx, before any schema is built.
 */
import { z } from 'zod';

z.config({ jitless: true });
