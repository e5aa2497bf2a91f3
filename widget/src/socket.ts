// The real socket.io-client socket, kept apart so unit tests never load the library.

import { io } from "socket.io-client";
import type { SocketFactory } from "./connection";

export const createSocket: SocketFactory = (server) =>
  io(server, {
    path: "/socket.io",
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 15000,
    randomizationFactor: 0.5,
    timeout: 10000,
  });
