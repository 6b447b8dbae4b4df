import { Routes } from '@angular/router';

export const roomsRoutes: Routes = [
  {
    path: 'browse',
    title: 'Public rooms · Chat',
    loadComponent: () => import('./browse-rooms.page').then((m) => m.BrowseRoomsPage),
  },
  {
    path: 'new',
    title: 'New room · Chat',
    loadComponent: () => import('./create-room.page').then((m) => m.CreateRoomPage),
  },
  {
    path: ':roomId/integrations',
    title: 'Integrations · Chat',
    loadComponent: () => import('../integrations/integrations.page').then((m) => m.IntegrationsPage),
  },
  {
    path: ':roomId',
    title: 'Chat',
    loadComponent: () => import('../chat/chat-room.page').then((m) => m.ChatRoomPage),
  },
];
