import { Type } from '@nestjs/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Page } from '../../pagination/page';

const pages = new Map<Type<unknown>, Type<Page<unknown>>>();

/**
 * The OpenAPI schema of `Page<T>` for one item type, named `<Item>Page` (reflection cannot see
 * generics): `@ApiOkResponse({ type: PageOf(MemorandumSummary) })`. One class per item type.
 */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  const name = `${schemaName(item)}Page`;

  @ApiSchema({ name })
  class PageSchema implements Page<T> {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ type: 'integer', minimum: 0, description: 'Items matching the filters, over all pages' })
    total: number;

    @ApiProperty({ type: 'integer', minimum: 1 })
    page: number;

    @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
    pageSize: number;
  }
  Object.defineProperty(PageSchema, 'name', { value: name });
  pages.set(item, PageSchema);
  return PageSchema;
}

/** The name `@ApiSchema({ name })` gave a class, else the class name. */
function schemaName(type: Type<unknown>): string {
  const meta = (Reflect.getMetadata('swagger/apiSchema', type) ?? []) as { name?: string }[];
  return meta.at(-1)?.name ?? type.name;
}
