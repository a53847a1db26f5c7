/**
 * Digital signing in the browser (docs/signatures.md): the admin enters the signatories' IINs on
 * the users page; on a memorandum that requires digital signatures each signatory chooses a
 * PKCS#12 key file made by the test (the tests' own PKI, in a temporary directory) and signs in
 * the page (pkijs + WebCrypto), the server verifies the CMS and the memorandum is executed; a key
 * file of the wrong person is refused with the server's IIN message. Then NCALayer, through a
 * stand-in speaking its WebSocket protocol (ncalayer-stand-in.ts), for one signatory.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { type Issued, TestPki } from '../support/test-pki';
import { apiAs, expect, expectAccessible, PEOPLE, type PersonKey, screenshot, signedIn, state, test } from './fixtures';
import { startNcalayerStandIn } from './ncalayer-stand-in';

const MSG = { en, ru, kk };
const LANGS = ['kk', 'ru', 'en'] as const;
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } };
const fill = (message: string, values: Record<string, string | number>) =>
  message.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

/** Valid IINs (control digit checked). */
const IIN = { coordinator: '850101300015', youth: '900101400013', university: '770401456784' } as const;
type Signer = keyof typeof IIN;

let pki: TestPki;
const certs = {} as Record<Signer, Issued>;
const p12 = {} as Record<Signer, { path: string; password: string }>;
const anchors = () => join(state().dataDir, 'signature-anchors.pem');

test.beforeAll(async () => {
  pki = await TestPki.create();
  // global-setup.ts points SIGNATURE_TRUST_ANCHORS at this file; it is read at each verification.
  writeFileSync(anchors(), pki.root.pem);
  for (const [who, kind] of [
    ['coordinator', 'rsa'],
    ['youth', 'ecdsa'],
    ['university', 'rsa'],
  ] as const) {
    certs[who] = await pki.leaf(who, { commonName: PEOPLE[who].fullName, iin: IIN[who], kind });
    const path = join(pki.dir, `${who}.p12`);
    const password = `Kelisim-p12-${who}`;
    // As a user's key file is made: key, certificate and the chain, PBES2/AES and an HMAC-SHA-256 MAC (OpenSSL 3's defaults).
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      certs[who].keyPath,
      '-in',
      certs[who].certPath,
      '-certfile',
      pki.chainPath,
      '-name',
      PEOPLE[who].fullName,
      '-passout',
      `pass:${password}`,
      '-out',
      path,
    ]);
    p12[who] = { path, password };
  }
});

test.afterAll(async () => {
  const admin = await apiAs('admin');
  for (const who of Object.keys(IIN) as Signer[]) {
    const found = await admin('GET', `/users?q=${encodeURIComponent(PEOPLE[who].email)}`);
    for (const u of found.items) await admin('PATCH', `/users/${u.id}`, { iin: null });
  }
  rmSync(anchors(), { force: true });
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

/** A memorandum in Kazakh with a Russian version, requiring digital signatures, approved by its parties. */
async function approvedDigitalMemorandum(title: string, parties: readonly PersonKey[]) {
  const coordinator = await apiAs('coordinator');
  const { orgIds } = state();
  const m = await coordinator('POST', '/memoranda', {
    title,
    purpose: 'Жастар арасындағы бірлескен жұмыс',
    body: 'Тараптар жастар саясаты бойынша бірлесіп жұмыс істейді.\n',
    language: 'kk',
    translations: {
      equallyAuthentic: true,
      texts: {
        ru: {
          title: `${title} (рус.)`,
          purpose: 'Совместная работа с молодёжью',
          body: 'Стороны совместно работают в сфере молодёжной политики.\n',
        },
      },
    },
    effectiveDate: '2021-09-28',
    endDate: '2031-09-28',
    signatureLevel: 'digital',
    coordinatingOrganisationId: orgIds.qogam,
  });
  for (const who of parties) {
    await coordinator('POST', `/memoranda/${m.id}/parties`, {
      organisationId: orgIds[PEOPLE[who].organisation],
      role: 'signatory',
    });
  }
  const revisionHash = (await coordinator('POST', `/memoranda/${m.id}/submit`)).currentRevision.hash as string;
  for (const who of parties)
    await (
      await apiAs(who)
    )('POST', `/memoranda/${m.id}/approvals`, { decision: 'approve', revisionHash });
  return { id: m.id as string, revisionHash };
}

async function switchLanguage(page: Page, lang: (typeof LANGS)[number]) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/me') && r.request().method() === 'PATCH');
  await page.locator('header .language select').selectOption(lang);
  expect((await saved).status()).toBe(200);
}

/** Chooses the key file and its password in the signing panel and presses the button. */
async function signWithKeyFile(page: Page, lang: (typeof LANGS)[number], file: { path: string; password: string }) {
  const panel = page.locator('section[aria-labelledby=sign]');
  await panel.locator('#p12-file').setInputFiles(file.path);
  await panel.locator('#p12-password').fill(file.password);
  await panel.getByRole('button', { name: MSG[lang].sign.withP12 }).click();
}

test('signatories sign a memorandum requiring digital signatures with PKCS#12 key files in the browser', async ({
  browser,
}) => {
  test.setTimeout(900_000);
  // The admin enters the IINs on the users page; a wrong control digit is refused on the field.
  const { context: adminContext, page: adminPage } = await signedIn(browser, 'admin');
  await adminPage.goto('/app/admin/users');
  const iinInput = (who: PersonKey) => adminPage.getByLabel(fill(kk.admin.iinOf, { name: PEOPLE[who].fullName }));
  const saveIin = async (who: PersonKey, iin: string) => {
    await iinInput(who).fill(iin);
    const saved = adminPage.waitForResponse((r) => r.url().includes('/users/') && r.request().method() === 'PATCH');
    await adminPage
      .locator('form.iin', { has: iinInput(who) })
      .getByRole('button', { name: kk.admin.saveIin })
      .click();
    return (await saved).status();
  };
  expect(await saveIin('youth', '900101400014')).toBe(400);
  await expect(adminPage.locator('[role=alert] li[data-field=iin]')).toBeVisible();
  expect(await saveIin('youth', IIN.youth)).toBe(200);
  expect(await saveIin('coordinator', IIN.coordinator)).toBe(200);
  await adminPage.reload();
  await expect(iinInput('youth')).toHaveValue(IIN.youth);
  await expect(iinInput('coordinator')).toHaveValue(IIN.coordinator);
  await screenshot(adminPage, 'admin-users-iin-kk-desktop');
  await adminContext.close();

  const { id, revisionHash } = await approvedDigitalMemorandum('Цифрлық қолтаңба туралы меморандум', [
    'coordinator',
    'youth',
  ]);

  // The coordinator opens signing in the browser, then signs for the coordinating institution (RSA key).
  const { context: coordContext, page: coord } = await signedIn(browser, 'coordinator');
  await coord.goto(`/app/memoranda/${id}`);
  await coord.getByRole('button', { name: ru.signing.open }).click();
  const coordPanel = coord.locator('section[aria-labelledby=sign]');
  await expect(coordPanel).toContainText(ru.sign.digitalRequired);
  await expect(coordPanel.locator('#typed-name')).toHaveCount(0);
  await expect(coordPanel.getByRole('radio')).toHaveCount(0);
  await expect(coordPanel.locator('.signed-text')).toContainText(revisionHash);
  await signWithKeyFile(coord, 'ru', p12.coordinator);
  const coordDone = coord.getByRole('status').filter({ hasText: ru.sign.recordedDigital });
  await expect(coordDone).toContainText(IIN.coordinator);
  await expect(coordDone).toContainText(PEOPLE.coordinator.fullName);
  await coordContext.close();

  // The youth office's signatory, in Kazakh on a phone: the panel in every language and size first.
  const { context, page } = await signedIn(browser, 'youth', SIZES.phone);
  const panel = page.locator('section[aria-labelledby=sign]');
  for (const lang of LANGS) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      await switchLanguage(page, lang);
      await page.goto(`/app/memoranda/${id}`);
      await expect(panel.locator('.signed-text')).toContainText(revisionHash);
      await expect(panel.getByRole('button', { name: MSG[lang].sign.withP12 })).toBeVisible();
      await expectAccessible(page, `digital-sign ${lang} ${size}`);
      await screenshot(page, `digital-sign-${lang}-${size}`);
    }
  }
  await switchLanguage(page, 'kk');
  await page.setViewportSize(SIZES.phone);
  await page.goto(`/app/memoranda/${id}`);
  // What is signed: both language versions, read from the canonical bytes, and their hash.
  const signedText = panel.locator('.signed-text');
  await expect(signedText).toContainText('Тараптар жастар саясаты бойынша бірлесіп жұмыс істейді.');
  await expect(signedText).toContainText('Стороны совместно работают в сфере молодёжной политики.');
  await expect(signedText).toContainText(MSG.kk.sign.whatIsSigned.replace('{number}', '1'));

  // A wrong password is told before anything is sent.
  await signWithKeyFile(page, 'kk', { path: p12.youth.path, password: 'not-the-password' });
  await expect(panel.getByRole('alert')).toContainText(kk.sign.p12_password);
  // Another person's key file: the server refuses it, naming the certificate's IIN.
  await signWithKeyFile(page, 'kk', p12.coordinator);
  const refusal = panel.locator('[role=alert][data-code=signature_refused]');
  await expect(refusal).toContainText(kk.errors.signature_refused);
  await expect(refusal.locator('li[data-field=cms]')).toContainText(
    fill(kk.fieldErrors.certIinMismatch, { iin: IIN.coordinator }),
  );
  await screenshot(page, 'digital-sign-refused-kk-phone');
  // Their own key (ECDSA P-256).
  await signWithKeyFile(page, 'kk', p12.youth);
  const done = page.getByRole('status').filter({ hasText: kk.sign.recordedDigital });
  await expect(done).toContainText(IIN.youth);
  await expect(done).toContainText(PEOPLE.youth.fullName);
  await screenshot(page, 'digital-sign-recorded-kk-phone');

  const coordinator = await apiAs('coordinator');
  await expect(async () => {
    expect(['executed', 'active']).toContain((await coordinator('GET', `/memoranda/${id}`)).status);
  }).toPass({ timeout: 120_000 });
  const signatures = (await coordinator('GET', `/memoranda/${id}/signatures`)).items as {
    method: string;
    revisionHash: string;
    organisationId: string;
    certificate: { iin: string; fingerprint: string } | null;
  }[];
  expect(signatures).toHaveLength(2);
  for (const s of signatures) expect(s).toMatchObject({ method: 'digital', revisionHash });
  const { orgIds } = state();
  const byOrg = (o: string) => signatures.find((s) => s.organisationId === o)!.certificate!;
  expect(byOrg(orgIds.qogam).iin).toBe(IIN.coordinator);
  expect(byOrg(orgIds.youth).iin).toBe(IIN.youth);
  // The certificate recorded is the one in the key file.
  expect(byOrg(orgIds.youth).fingerprint).toBe(
    createHash('sha256').update(Buffer.from(certs.youth.cert.rawData)).digest('hex'),
  );
  await context.close();
});

test('a signatory signs through NCALayer (a stand-in speaking its WebSocket protocol)', async ({ browser }) => {
  const admin = await apiAs('admin');
  const [university] = (await admin('GET', `/users?q=${encodeURIComponent(PEOPLE.university.email)}`)).items;
  await admin('PATCH', `/users/${university.id}`, { iin: IIN.university });
  const { id, revisionHash } = await approvedDigitalMemorandum('NCALayer арқылы қол қою', [
    'coordinator',
    'university',
  ]);
  await (
    await apiAs('coordinator')
  )('POST', `/memoranda/${id}/open-signing`, { mode: 'parallel' });

  const standIn = await startNcalayerStandIn({
    certPath: certs.university.certPath,
    keyPath: certs.university.keyPath,
    chainPath: pki.chainPath,
    dir: pki.dir,
  });
  try {
    // The page's policy lets it reach NCALayer's own address, and nothing else outside its origin.
    const app = await fetch(`${state().base}/app/`);
    expect(app.headers.get('content-security-policy')).toContain("connect-src 'self' wss://127.0.0.1:13579;");
    // The page talks to wss://127.0.0.1:13579 unless a test names its stand-in before the page loads;
    // the stand-in's plain ws:// address on another port is outside that policy, so this context bypasses it.
    const { context, page } = await signedIn(browser, 'university', SIZES.desktop, { bypassCSP: true });
    await context.addInitScript((url) => {
      (globalThis as unknown as { __kelisimNcalayerUrl: string }).__kelisimNcalayerUrl = url;
    }, standIn.url);
    await page.goto(`/app/memoranda/${id}`);
    const panel = page.locator('section[aria-labelledby=sign]');
    await expect(panel.locator('.signed-text')).toContainText(revisionHash);
    await panel.getByRole('button', { name: ru.sign.withNcalayer }).click();
    const done = page.getByRole('status').filter({ hasText: ru.sign.recordedDigital });
    await expect(done).toContainText(IIN.university);
    await screenshot(page, 'ncalayer-sign-recorded-ru-desktop');

    // What ncalayer-js-client asked: the basics module's CMS, detached, over the canonical bytes.
    const sign = standIn.requests.find((r) => r.module === 'kz.gov.pki.knca.basics') as {
      method: string;
      args: { format: string; data: string; signingParams: { encapsulate: boolean; decode: boolean }; locale: string };
    };
    expect(sign).toMatchObject({
      method: 'sign',
      args: { format: 'cms', signingParams: { encapsulate: false, decode: true }, locale: 'ru' },
    });
    expect(createHash('sha256').update(Buffer.from(sign.args.data, 'base64')).digest('hex')).toBe(revisionHash);
    const signatures = (await admin('GET', `/memoranda/${id}/signatures`)).items as {
      method: string;
      organisationId: string;
      certificate: { iin: string } | null;
    }[];
    expect(signatures).toEqual([
      expect.objectContaining({
        method: 'digital',
        organisationId: state().orgIds.university,
        certificate: expect.objectContaining({ iin: IIN.university }),
      }),
    ]);
    await context.close();
  } finally {
    await standIn.close();
  }
});
