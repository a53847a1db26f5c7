/** The answers of /templates: a template's summary and a version's full view. */
import { MemorandumTemplate, TemplateVersion } from './template.entity';

export function summary(t: MemorandumTemplate, v: TemplateVersion) {
  return {
    id: t.id,
    name: t.name,
    organisationId: t.organisationId,
    shared: t.shared,
    currentVersion: t.currentVersion,
    languages: Object.keys(v.texts).sort(),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

export function view(t: MemorandumTemplate, v: TemplateVersion) {
  return {
    ...summary(t, v),
    name: v.name,
    version: v.version,
    language: v.language,
    texts: v.texts,
    placeholders: v.placeholders,
    defaults: v.defaults,
    commitmentBlueprints: v.commitmentBlueprints,
    createdByUserId: v.createdByUserId,
    versionCreatedAt: v.createdAt,
  };
}
