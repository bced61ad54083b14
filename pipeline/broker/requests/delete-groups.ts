import type { DeleteGroups } from '../protocol/messages/delete-groups';
import type { Handler } from './context';

/** DeleteGroups: removes idle groups and their committed offsets; groups with members are refused. */
export const handleDeleteGroups: Handler<typeof DeleteGroups> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  results: core.groups.deleteGroups(req.groupsNames),
});
