import { Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { invalidField } from '@remedy/http';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import {
  BUMP_GLOSSARY_VERSION_SQL,
  DELETE_GLOSSARY_SQL,
  DELETE_TERMS_SQL,
  GLOSSARY_FOR_PAIR_SQL,
  GLOSSARY_SQL,
  glossariesPageSql,
  INSERT_GLOSSARY_SQL,
  INSERT_TERMS_SQL,
} from './glossaries.sql.js';
import { GLOSSARIES_SORT, GLOSSARY_PAGES } from './glossaries.policy.js';
import type { Glossary, GlossarySummary, GlossaryTerm } from './glossary.js';
import { PairGlossaries, type GlossaryPair } from './pair-glossaries.js';

/** What a write returns: the glossary and its pair, whose cached answer the write invalidates. */
interface WrittenGlossary {
  id: string;
  sourceLanguage: string;
  targetLanguage: string;
}

export interface NewGlossary {
  sourceLanguage: string;
  targetLanguage: string;
  terms: GlossaryTerm[];
}

/**
 * An organisation's glossaries, one per language pair. Replacing the terms bumps the version in the same
 * transaction: the translation cache keys on (organisation, pair, version), so the next translation after a
 * change misses the entries made with the old terms (polyglot-a:M-1, polyglot-b:S-3). Every create, update and
 * delete invalidates the pair's cached glossary after it commits and before it answers (ADR 0088), so once a change
 * is acknowledged no instance translates the pair with what it replaced.
 */
@Injectable()
export class GlossariesService {
  private readonly logger = new Logger(GlossariesService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PairGlossaries) private readonly pairGlossaries: PairGlossaries,
  ) {}

  /** 409 when the organisation already has a glossary for the pair (ApiErrorFilter maps the unique key). */
  async create(organiser: Member, glossary: NewGlossary): Promise<Glossary> {
    if (glossary.sourceLanguage === glossary.targetLanguage) {
      throw invalidField('targetLanguage', 'must differ from sourceLanguage');
    }
    const [created] = await this.dataSource.query<WrittenGlossary[]>(INSERT_GLOSSARY_SQL, [
      organiser.organisationId,
      glossary.sourceLanguage,
      glossary.targetLanguage,
      glossary.terms.map((term) => term.source),
      glossary.terms.map((term) => term.target),
    ]);
    if (!created) throw new Error('glossary insert returned no row');
    await this.invalidatePair(organiser, created);
    // Read back: the terms come in the table's order (source term, by the database's collation).
    return this.get(organiser, created.id);
  }

  async get(member: Member, glossaryId: string): Promise<Glossary> {
    const [glossary] = await this.dataSource.query<Glossary[]>(GLOSSARY_SQL, [
      glossaryId,
      member.organisationId,
    ]);
    if (!glossary) throw glossaryNotFound(glossaryId);
    return glossary;
  }

  /** The glossary a translation from `sourceLanguage` into `targetLanguage` applies in the member's organisation. */
  async forPair(member: Member, sourceLanguage: string, targetLanguage: string): Promise<Glossary> {
    const [glossary] = await this.dataSource.query<Glossary[]>(GLOSSARY_FOR_PAIR_SQL, [
      member.organisationId,
      sourceLanguage,
      targetLanguage,
    ]);
    if (!glossary) throw new NotFoundException(`no glossary for ${sourceLanguage} → ${targetLanguage}`);
    return glossary;
  }

  async page(
    member: Member,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<KeysetPage<GlossarySummary>> {
    const page = buildKeysetSql(
      {
        sort: GLOSSARIES_SORT,
        scope: { endpoint: 'GET /glossaries', filter: { organisationId: member.organisationId } },
        cursor: cursor ?? null,
        ...(limit === undefined ? {} : { limit }),
        ...GLOSSARY_PAGES,
      },
      { parameterOffset: 1 },
    );
    const rows = await this.dataSource.query<GlossarySummary[]>(glossariesPageSql(page), [
      member.organisationId,
      ...page.parameters,
    ]);
    return page.toPage(rows);
  }

  /** Replaces the terms and bumps the version, in one transaction. */
  async replaceTerms(organiser: Member, glossaryId: string, terms: GlossaryTerm[]): Promise<Glossary> {
    const bumped = await this.dataSource.transaction(async (manager) => {
      const [bumped] = await manager.query<WrittenGlossary[]>(BUMP_GLOSSARY_VERSION_SQL, [
        glossaryId,
        organiser.organisationId,
      ]);
      if (!bumped) throw glossaryNotFound(glossaryId);
      await manager.query(DELETE_TERMS_SQL, [glossaryId]);
      await manager.query(INSERT_TERMS_SQL, [
        glossaryId,
        terms.map((term) => term.source),
        terms.map((term) => term.target),
      ]);
      return bumped;
    });
    await this.invalidatePair(organiser, bumped);
    return this.get(organiser, glossaryId);
  }

  async delete(organiser: Member, glossaryId: string): Promise<void> {
    const [deleted] = await this.dataSource.query<WrittenGlossary[]>(DELETE_GLOSSARY_SQL, [
      glossaryId,
      organiser.organisationId,
    ]);
    if (!deleted) throw glossaryNotFound(glossaryId);
    await this.invalidatePair(organiser, deleted);
  }

  /**
   * The change has committed; until this returns, instances may still apply the pair's previous glossary. When the
   * cache Redis cannot take the invalidation the caller gets a 503, not an acknowledgement: the change is saved,
   * and repeating it (or CACHE_GLOSSARY_TTL_SECONDS) makes it apply everywhere.
   */
  private async invalidatePair(organiser: Member, glossary: WrittenGlossary): Promise<void> {
    const pair: GlossaryPair = {
      organisationId: organiser.organisationId,
      sourceLanguage: glossary.sourceLanguage,
      targetLanguage: glossary.targetLanguage,
    };
    await this.pairGlossaries.invalidate(pair).catch((error: unknown) => {
      this.logger.warn(`glossary ${glossary.id} saved, its pair's cache not invalidated: ${String(error)}`);
      throw new ServiceUnavailableException(
        'glossary saved, but translations may still apply the previous one: repeat the request',
      );
    });
  }
}

function glossaryNotFound(glossaryId: string): NotFoundException {
  return new NotFoundException(`glossary ${glossaryId} not found`);
}
