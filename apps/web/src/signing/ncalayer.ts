/**
 * Signing through NCALayer, NCA RK's desktop application (a WebSocket on wss://127.0.0.1:13579),
 * with ncalayer-js-client: the `basics` module's sign makes a detached CMS over the canonical bytes
 * with a key the user picks in NCALayer's own window (a PKCS#12 file or a token). The key and its
 * password stay in NCALayer; the page receives only the CMS. Loaded only by the signing panel.
 */
import { NCALayerClient } from 'ncalayer-js-client';

export const NCALAYER_URL = 'wss://127.0.0.1:13579';

/** Why NCALayer gave no signature; `code` names the message shown (sign.ncalayer_<code>). */
export class NcalayerError extends Error {
  constructor(
    readonly code: 'unavailable' | 'cancelled' | 'failed',
    readonly detail = '',
  ) {
    super(detail || code);
  }
}

/**
 * The browser tests point the page at their stand-in (NCALayer cannot run there) by defining this
 * global before the page loads; nothing in the application sets it.
 */
const urlForTests = () => (globalThis as { __kelisimNcalayerUrl?: string }).__kelisimNcalayerUrl;

function base64(data: ArrayBuffer): string {
  const bytes = new Uint8Array(data);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A detached CMS (base64 DER) over `content`, made by NCALayer with the key the user chooses there. */
export async function signWithNcalayer(content: ArrayBuffer, locale: 'kk' | 'ru' | 'en'): Promise<string> {
  // The KAZTOKEN HTTP API the library may prefer is refused: every signature goes through NCALayer's protocol.
  const client = new NCALayerClient(urlForTests() ?? NCALAYER_URL, false);
  // Once connected, the library probes KAZTOKEN's HTTP API (https://127.0.0.1:24680/) even when it is
  // not allowed to use it: the page's policy refuses that request with an error in the console (a
  // refused connection when the policy is bypassed). It probes this page's own /health instead, and
  // still never uses the HTTP API (allowKmdHttpApi is false).
  client.kmdHttpApiUrl = new URL('/health', window.location.href).href;
  try {
    await client.connect();
  } catch (e) {
    throw new NcalayerError('unavailable', e instanceof Error ? e.message : '');
  }
  try {
    return await client.basicsSignCMS(
      NCALayerClient.basicsStorageAll,
      base64(content),
      NCALayerClient.basicsCMSParamsDetached,
      NCALayerClient.basicsSignerSignAny,
      locale,
    );
  } catch (e) {
    const error = e as { canceledByUser?: boolean; message?: string };
    throw new NcalayerError(error.canceledByUser ? 'cancelled' : 'failed', error.message ?? '');
  } finally {
    client.wsConnection?.close();
  }
}
