import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../opcenter/model/commands';
import { ENTITY_SETS } from '../../opcenter/model/entity-sets';
import { EVENT_TYPES } from '../../opcenter/simulator';

const readme = readFileSync(join(__dirname, '..', '..', 'opcenter', 'README.md'), 'utf8');

describe('opcenter/README.md', () => {
  it('names every app, entity set and property the emulator serves', () => {
    const missing: string[] = [];
    for (const set of ENTITY_SETS) {
      if (!readme.includes(`\`${set.app}\``)) missing.push(`app ${set.app}`);
      if (!readme.includes(`\`${set.name}\``)) missing.push(`set ${set.name}`);
      const section = readme.slice(readme.indexOf(`#### \`${set.name}\``));
      for (const property of Object.keys(set.properties)) {
        if (!section.includes(`\`${property}\``)) missing.push(`${set.name}.${property}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names every command with its parameters and every event type', () => {
    const missing: string[] = [];
    for (const command of COMMANDS) {
      if (!readme.includes(`\`${command.name}\``)) missing.push(command.name);
      for (const parameter of Object.keys(command.parameters)) if (!readme.includes(parameter)) missing.push(`${command.name}.${parameter}`);
    }
    for (const type of EVENT_TYPES) if (!readme.includes(`\`${type}\``)) missing.push(`event ${type}`);
    expect(missing).toEqual([]);
  });
});
