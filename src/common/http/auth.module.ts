import { Module, type DynamicModule } from '@nestjs/common';
import { ApiTokens, type NamedToken } from './api-tokens.js';
import { ConsoleSessions } from './console-session.js';

/**
 * The configured tokens, as the API's bearer guard and the console's sessions check them: global,
 * so the admin role's console sees the same list as the guard of the root module.
 */
@Module({})
export class AuthModule {
  static forRoot(tokens: readonly NamedToken[]): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: ApiTokens, useValue: new ApiTokens(tokens) },
        { provide: ConsoleSessions, useValue: new ConsoleSessions(tokens) },
      ],
      exports: [ApiTokens, ConsoleSessions],
    };
  }
}
