import { Param, ParseIntPipe } from '@nestjs/common';

/** The `:id` of a route as a number; anything else is a 400 before the handler runs. */
export const IdParam = (): ParameterDecorator => Param('id', new ParseIntPipe({ errorHttpStatusCode: 400 }));
