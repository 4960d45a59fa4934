import { GraphQLError } from 'graphql';

/** A genealogy walk reached more units than one answer may hold. */
export class GenealogyLimitError extends GraphQLError {
  constructor(limit: number) {
    super(`The genealogy walk reached more than ${limit} units; ask for fewer lots or narrow the question.`, {
      extensions: { code: 'GENEALOGY_LIMIT_EXCEEDED', limit },
    });
  }
}
