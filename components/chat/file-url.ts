/** Where a stored file (an attached or a generated image) is served: GET /api/files/<id>, to its owner only. */
export const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;
