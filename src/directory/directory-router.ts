import express, { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../http/route.js';
import { badRequest } from '../http/errors.js';
import type { DirectoryService } from './directory-service.js';

export const DirectoryUploadResult = Type.Object({
  users: Type.Integer(), memberships: Type.Integer(), affectedUsers: Type.Integer(), reevaluated: Type.Integer(),
});

export function directoryRouter(directory: DirectoryService): Router {
  const r = Router();
  const csv = express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '20mb' });
  defineRoute(r, { method: 'put', path: '/directory/groups', access: 'admin', tag: 'directory', parsers: [csv], bodyMediaTypes: ['text/csv'],
    summary: 'Replace the group directory with a user,group CSV (user as DOMAIN\\name); affected hits are re-evaluated',
    response: DirectoryUploadResult },
  async ({ actor, rawBody }) => {
    if (typeof rawBody !== 'string') throw badRequest('send the directory as text/csv with a header row user,group');
    return { body: await directory.upload(actor, rawBody) };
  });
  return r;
}
