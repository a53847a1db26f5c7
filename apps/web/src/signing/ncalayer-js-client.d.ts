/** The part of ncalayer-js-client (sigex-kz, plain JavaScript without types) that Kelisim uses. */
declare module 'ncalayer-js-client' {
  export class NCALayerClient {
    constructor(url?: string, allowKmdHttpApi?: boolean);
    wsConnection: WebSocket | null;
    /** Where `connect()` probes KAZTOKEN's HTTP API (used only when allowKmdHttpApi). */
    kmdHttpApiUrl: string;
    /** Answers NCALayer's version. */
    connect(): Promise<string>;
    basicsSignCMS(
      allowedStorages: string[] | null,
      data: string | ArrayBuffer | Blob,
      signingParams: object,
      signerParams: object,
      locale?: string,
    ): Promise<string>;
    createCAdESFromBase64(
      storageType: string,
      data: string | ArrayBuffer,
      keyType?: string,
      attach?: boolean,
    ): Promise<string>;
    static get basicsStorageAll(): string[] | null;
    static get basicsCMSParamsDetached(): object;
    static get basicsSignerSignAny(): object;
  }
}
