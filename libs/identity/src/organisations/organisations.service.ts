import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { ApiError, Page, pageOf } from '@kelisim/platform';
import { AuthService } from '../auth/auth.service';
import { Organisation } from './organisation.entity';
import { CreateOrganisationDto, ListOrganisationsQuery, UpdateOrganisationDto } from './organisation.dto';

/** The only writer of organisations. */
@Injectable()
export class OrganisationsService {
  constructor(
    @InjectRepository(Organisation) private readonly repo: Repository<Organisation>,
    private readonly auth: AuthService,
  ) {}

  create(dto: CreateOrganisationDto): Promise<Organisation> {
    return this.repo.save(this.repo.create({ ...dto, bin: dto.bin ?? null, email: dto.email?.toLowerCase() ?? null }));
  }

  async list(q: ListOrganisationsQuery): Promise<Page<Organisation>> {
    const qb = this.repo
      .createQueryBuilder('o')
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    if (q.q) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('o.name ILIKE :q', { q: `%${escapeLike(q.q!)}%` }).orWhere('o.short_name ILIKE :q'),
        ),
      );
    }
    if (q.kind) qb.andWhere('o.kind = :kind', { kind: q.kind });
    if (q.active) qb.andWhere('o.active = :active', { active: q.active === 'true' });
    if (q.system) qb.andWhere('o.system = :system', { system: q.system === 'true' });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, q);
  }

  async get(id: string): Promise<Organisation> {
    const found = await this.repo.findOneBy({ id });
    if (!found) throw ApiError.notFound('Organisation', id);
    return found;
  }

  async update(id: string, dto: UpdateOrganisationDto): Promise<Organisation> {
    await this.get(id);
    // Fields left out arrive as undefined properties of the DTO: they must not reach the answer or the UPDATE.
    const patch = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<Organisation>;
    if (dto.email !== undefined) patch.email = dto.email?.toLowerCase() ?? null;
    if (Object.keys(patch).length) await this.repo.update({ id }, patch);
    if (dto.active === false) await this.auth.revokeOrganisation(id);
    return this.get(id);
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
