import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HostConfigService, redactPasswords } from '../frr-server/config/host-config.service.js';

@ApiTags('configuration')
@ApiBearerAuth()
@Controller('hosts')
export class HostConfigController {
  constructor(private readonly hostConfig: HostConfigService) {}

  @Get(':id/rendered-config')
  @ApiOperation({ summary: "The host's FRR configuration and GRE setup as route-broker would apply them (passwords redacted)" })
  async rendered(@Param('id', new ParseIntPipe({ errorHttpStatusCode: 400 })) id: number) {
    const rendered = await this.hostConfig.render(id);
    return {
      hostId: id,
      frrConf: redactPasswords(rendered.frrConf),
      greSetup: rendered.greSetup,
      // managed: an apply runs greSetup before FRR; external: something else makes the tunnels.
      tunnelProvisioning: rendered.tunnelProvisioning,
      tunnels: rendered.tunnels,
    };
  }
}
