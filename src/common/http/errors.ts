import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  problem: string;
}

/** One shape for every 400: `message` for people, `fields` for programs. */
export function badRequest(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map(({ field, problem }) => `${field}: ${problem}`),
    fields: problems,
  });
}

export const invalidField = (field: string, problem: string): BadRequestException => badRequest([{ field, problem }]);

export const conflict = (message: string): ConflictException => new ConflictException({ statusCode: 409, error: 'Conflict', message });

export const notFound = (what: string, id: number): NotFoundException =>
  new NotFoundException({ statusCode: 404, error: 'Not Found', message: `${what} ${id} does not exist` });
