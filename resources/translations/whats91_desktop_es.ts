<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name></name>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Light or dark colours. “Follow the system” switches with the desktop&apos;s own setting.</source>
        <translation>Colores claros u oscuros. «Seguir al sistema» cambia con el ajuste del escritorio.</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Seguir al sistema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The language of menus and labels. “Follow the system” uses the desktop&apos;s language when a translation exists, English otherwise.</source>
        <translation>El idioma de menús y etiquetas. «Seguir al sistema» usa el idioma del escritorio si hay traducción; si no, inglés.</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Español</source>
        <translation>Español</translation>
    </message>
    <message>
        <source>Confirm the first production send</source>
        <translation>Confirmar el primer envío de producción</translation>
    </message>
    <message>
        <source>Ask before the first send of a session through a non-sandbox profile.</source>
        <translation>Preguntar antes del primer envío de la sesión con un perfil que no sea el sandbox.</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Envío</translation>
    </message>
    <message>
        <source>Status follow-up (minutes)</source>
        <translation>Seguimiento del estado (minutos)</translation>
    </message>
    <message>
        <source>Stop checking a message&apos;s delivery status this many minutes after sending.</source>
        <translation>Dejar de comprobar el estado de entrega de un mensaje tantos minutos después de enviarlo.</translation>
    </message>
    <message>
        <source>Default region</source>
        <translation>Región predeterminada</translation>
    </message>
    <message>
        <source>Country assumed for numbers typed without a country code, in the sandbox and in new profiles (each profile keeps its own under Manage profiles).</source>
        <translation>País supuesto para los números escritos sin prefijo internacional, en el sandbox y en los perfiles nuevos (cada perfil guarda el suyo en Gestionar perfiles).</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Connect timeout (seconds)</source>
        <translation>Tiempo de conexión (segundos)</translation>
    </message>
    <message>
        <source>Seconds to wait for a connection, in the sandbox and in new profiles; the next client built uses it, a request in flight keeps its own.</source>
        <translation>Segundos de espera para conectar, en el sandbox y en los perfiles nuevos; lo usa el próximo cliente creado, una petición en curso conserva el suyo.</translation>
    </message>
    <message>
        <source>Read timeout (seconds)</source>
        <translation>Tiempo de respuesta (segundos)</translation>
    </message>
    <message>
        <source>Seconds to wait for the API&apos;s answer once connected, in the sandbox and in new profiles.</source>
        <translation>Segundos de espera para la respuesta de la API una vez conectado, en el sandbox y en los perfiles nuevos.</translation>
    </message>
    <message>
        <source>Bulk</source>
        <translation>Envío masivo</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Línea</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Veredicto</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Error or reason</source>
        <translation>Error o motivo</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Status / from</source>
        <translation>Estado / origen</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Reenvío</translation>
    </message>
    <message>
        <source>Endpoint URL</source>
        <translation>URL del endpoint</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Tiempo de espera</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>Reintentos</translation>
    </message>
    <message>
        <source>Verification header</source>
        <translation>Cabecera de verificación</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Remitente</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Destinatario</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Message ID</source>
        <translation>ID del mensaje</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En cola</translation>
    </message>
    <message>
        <source>Accepted / sent</source>
        <translation>Aceptado / enviado</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Failed / rejected</source>
        <translation>Fallido / rechazado</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Inalcanzable</translation>
    </message>
    <message>
        <source>The copied command will contain your token in plain text. Do not paste it into chats, tickets or screenshots.</source>
        <translation>El comando copiado contendrá su token en texto plano. No lo pegue en chats, incidencias ni capturas de pantalla.</translation>
    </message>
    <message>
        <source>All conversations</source>
        <translation>Todas las conversaciones</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activas</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Cerradas</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Bloqueadas</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archivadas</translation>
    </message>
    <message>
        <source>All problems</source>
        <translation>Todos los problemas</translation>
    </message>
    <message>
        <source>Invalid rows</source>
        <translation>Filas no válidas</translation>
    </message>
    <message>
        <source>Skipped rows</source>
        <translation>Filas omitidas</translation>
    </message>
    <message>
        <source>Search name, number or message</source>
        <translation>Buscar nombre, número o mensaje</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Buscar conversaciones</translation>
    </message>
    <message>
        <source>Unread only</source>
        <translation>Solo no leídas</translation>
    </message>
    <message>
        <source>Conversation status</source>
        <translation>Estado de la conversación</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>Aún no leído</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversaciones</translation>
    </message>
    <message>
        <source>Choose a conversation</source>
        <translation>Elija una conversación</translation>
    </message>
    <message>
        <source>Choose a conversation on the left to read it.</source>
        <translation>Elija una conversación a la izquierda para leerla.</translation>
    </message>
    <message>
        <source>Opening the saved copy…</source>
        <translation>Abriendo la copia guardada…</translation>
    </message>
    <message>
        <source>The saved copy could not be read: %1</source>
        <translation>No se pudo leer la copia guardada: %1</translation>
    </message>
    <message>
        <source>No saved copy yet; reading…</source>
        <translation>Aún no hay copia guardada; leyendo…</translation>
    </message>
    <message>
        <source>Could not refresh this thread: %1</source>
        <translation>No se pudo actualizar esta conversación: %1</translation>
    </message>
    <message>
        <source>Reading the thread…</source>
        <translation>Leyendo la conversación…</translation>
    </message>
    <message>
        <source>Last updated %1%2</source>
        <translation>Actualizado por última vez %1%2</translation>
    </message>
    <message>
        <source>Could not refresh (%1); %2.</source>
        <translation>No se pudo actualizar (%1); %2.</translation>
    </message>
    <message>
        <source>24-hour window: %1</source>
        <translation>Ventana de 24 horas: %1</translation>
    </message>
    <message>
        <source>Template for %1: fill in its variables and send it from here.</source>
        <translation>Plantilla para %1: complete sus variables y envíela desde aquí.</translation>
    </message>
    <message>
        <source>%1 conversation%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>%1 de %2 mostradas</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <source>Messages, newest first</source>
        <translation>Mensajes, los más recientes primero</translation>
    </message>
    <message>
        <source>Show row</source>
        <translation>Mostrar fila</translation>
    </message>
    <message>
        <source>Dismiss all</source>
        <translation>Descartar todo</translation>
    </message>
    <message>
        <source>Every message of this session; warnings stay until dismissed</source>
        <translation>Todos los mensajes de esta sesión; los avisos permanecen hasta descartarlos</translation>
    </message>
    <message>
        <source>Status message</source>
        <translation>Mensaje de estado</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Trabajando…</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Ocupado</translation>
    </message>
    <message>
        <source>Wallet balance</source>
        <translation>Saldo del monedero</translation>
    </message>
    <message>
        <source>Active profile</source>
        <translation>Perfil activo</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Perfil: %1</translation>
    </message>
    <message>
        <source>SANDBOX</source>
        <translation>SANDBOX</translation>
    </message>
    <message>
        <source>PRODUCTION</source>
        <translation>PRODUCCIÓN</translation>
    </message>
    <message>
        <source>Sandbox: nothing leaves this computer</source>
        <translation>Sandbox: nada sale de este equipo</translation>
    </message>
    <message>
        <source>Production: messages reach real people</source>
        <translation>Producción: los mensajes llegan a personas reales</translation>
    </message>
    <message>
        <source>Balance at %1</source>
        <translation>Saldo a las %1</translation>
    </message>
    <message>
        <source>Messages (%1)</source>
        <translation>Mensajes (%1)</translation>
    </message>
    <message>
        <source>%1 warning%2 or error%3 not dismissed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Buttons</source>
        <translation>Botones</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Media</source>
        <translation>Multimedia</translation>
    </message>
    <message>
        <source>Meta JSON</source>
        <translation>JSON de Meta</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Plantilla</translation>
    </message>
    <message>
        <source>Send a template</source>
        <translation>Enviar una plantilla</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Send a text</source>
        <translation>Enviar un texto</translation>
    </message>
    <message>
        <source>Recipient column</source>
        <translation>Columna del destinatario</translation>
    </message>
    <message>
        <source>Template name</source>
        <translation>Nombre de la plantilla</translation>
    </message>
    <message>
        <source>Body variables</source>
        <translation>Variables del cuerpo</translation>
    </message>
    <message>
        <source>URL button parameters</source>
        <translation>Parámetros del botón de URL</translation>
    </message>
    <message>
        <source>Header media URL column</source>
        <translation>Columna de la URL del medio de cabecera</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Texto del mensaje</translation>
    </message>
    <message>
        <source>Hi {name}, your order {order} ships today. ({column} takes that column)</source>
        <translation>Hola {name}, su pedido {order} sale hoy. ({column} toma esa columna)</translation>
    </message>
    <message>
        <source>Header media URL</source>
        <translation>URL del medio de cabecera</translation>
    </message>
    <message>
        <source>First rows of the audience</source>
        <translation>Primeras filas del público</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>First rows, as they would be sent:</source>
        <translation>Primeras filas, tal como se enviarían:</translation>
    </message>
    <message>
        <source>Load an audience and pick the recipients&apos; column.</source>
        <translation>Cargue un público y elija la columna de destinatarios.</translation>
    </message>
    <message>
        <source>Write the text to send.</source>
        <translation>Escriba el texto que se enviará.</translation>
    </message>
    <message>
        <source>Choose a template.</source>
        <translation>Elija una plantilla.</translation>
    </message>
    <message>
        <source>Choose the column for %1.</source>
        <translation>Elija la columna para %1.</translation>
    </message>
    <message>
        <source>Column for %1</source>
        <translation>Columna para %1</translation>
    </message>
    <message>
        <source>Message type</source>
        <translation>Tipo de mensaje</translation>
    </message>
    <message>
        <source>A plain text message</source>
        <translation>Un mensaje de texto simple</translation>
    </message>
    <message>
        <source>An image, video, audio clip or document</source>
        <translation>Una imagen, un vídeo, un audio o un documento</translation>
    </message>
    <message>
        <source>Text with up to 3 quick-reply buttons</source>
        <translation>Texto con hasta 3 botones de respuesta rápida</translation>
    </message>
    <message>
        <source>Text with a button that opens a list of choices</source>
        <translation>Texto con un botón que abre una lista de opciones</translation>
    </message>
    <message>
        <source>An approved template (the only way to start a conversation)</source>
        <translation>Una plantilla aprobada (la única forma de iniciar una conversación)</translation>
    </message>
    <message>
        <source>Raw Meta Cloud API JSON, checked against Meta&apos;s schema</source>
        <translation>JSON de la API Cloud de Meta, comprobado con el esquema de Meta</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Enviar</translation>
    </message>
    <message>
        <source>Messages per second</source>
        <translation>Mensajes por segundo</translation>
    </message>
    <message>
        <source>Show problems of kind</source>
        <translation>Mostrar problemas del tipo</translation>
    </message>
    <message>
        <source>Filter problems</source>
        <translation>Filtrar problemas</translation>
    </message>
    <message>
        <source>Filter by line, number or problem…</source>
        <translation>Filtrar por línea, número o problema…</translation>
    </message>
    <message>
        <source>Rows with problems</source>
        <translation>Filas con problemas</translation>
    </message>
    <message>
        <source>Skip the invalid rows and send the rest</source>
        <translation>Omitir las filas no válidas y enviar el resto</translation>
    </message>
    <message>
        <source>Skip invalid rows</source>
        <translation>Omitir filas no válidas</translation>
    </message>
    <message>
        <source>Back to the mapping</source>
        <translation>Volver a la asignación</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Nothing has been sent yet.</source>
        <translation>Todavía no se ha enviado nada.</translation>
    </message>
    <message>
        <source>Pace</source>
        <translation>Ritmo</translation>
    </message>
    <message>
        <source>%1 of %2 rows will be sent</source>
        <translation>Se enviarán %1 de %2 filas</translation>
    </message>
    <message>
        <source>%1 skipped (duplicates, blacklist)</source>
        <translation>%1 omitidas (duplicados, lista negra)</translation>
    </message>
    <message>
        <source>%1 invalid</source>
        <translation>%1 no válidas</translation>
    </message>
    <message>
        <source>Line %1 (%2) will read:</source>
        <translation>La línea %1 (%2) dirá:</translation>
    </message>
    <message>
        <source>No row can be sent.</source>
        <translation>No se puede enviar ninguna fila.</translation>
    </message>
    <message>
        <source>takes %1 for %2 messages</source>
        <translation>tarda %1 para %2 mensajes</translation>
    </message>
    <message>
        <source>Send %1 messages…</source>
        <translation>Enviar %1 mensajes…</translation>
    </message>
    <message>
        <source>%1 rows are invalid: fix the file, or skip them.</source>
        <translation>%1 filas no son válidas: corrija el archivo u omítalas.</translation>
    </message>
    <message>
        <source>Send the composed message</source>
        <translation>Enviar el mensaje redactado</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Para:</translation>
    </message>
    <message>
        <source>Type a message… (*bold*, _italic_, ~strike~; Ctrl+Enter sends)</source>
        <translation>Escribe un mensaje… (*negrita*, _cursiva_, ~tachado~; Ctrl+Intro envía)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Responder</translation>
    </message>
    <message>
        <source>Write a reply… (Ctrl+Enter sends)</source>
        <translation>Escribe una respuesta… (Ctrl+Intro envía)</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Enviar respuesta</translation>
    </message>
    <message>
        <source>Approved templates</source>
        <translation>Plantillas aprobadas</translation>
    </message>
    <message>
        <source>Load templates</source>
        <translation>Cargar plantillas</translation>
    </message>
    <message>
        <source>Send a template…</source>
        <translation>Enviar una plantilla…</translation>
    </message>
    <message>
        <source>Opens the chosen template in the Messages room&apos;s Template tab, addressed to this contact</source>
        <translation>Abre la plantilla elegida en la pestaña Plantilla de la sala Mensajes, dirigida a este contacto</translation>
    </message>
    <message>
        <source> Send an approved template instead:</source>
        <translation> Envíe en su lugar una plantilla aprobada:</translation>
    </message>
    <message>
        <source>Choose a conversation to reply.</source>
        <translation>Elija una conversación para responder.</translation>
    </message>
    <message>
        <source>24-hour window: %1%2</source>
        <translation>Ventana de 24 horas: %1%2</translation>
    </message>
    <message>
        <source>Templates are not loaded yet.</source>
        <translation>Las plantillas aún no están cargadas.</translation>
    </message>
    <message>
        <source>This sender has no approved template.</source>
        <translation>Este remitente no tiene ninguna plantilla aprobada.</translation>
    </message>
    <message>
        <source>%1 approved template%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the reply first.</source>
        <translation>Escriba primero la respuesta.</translation>
    </message>
    <message>
        <source>Conversation thread</source>
        <translation>Hilo de la conversación</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Copiar texto</translation>
    </message>
    <message>
        <source>The diagnostic bundle could not be saved: %1</source>
        <translation>No se pudo guardar el paquete de diagnóstico: %1</translation>
    </message>
    <message>
        <source>Diagnostic bundle saved to %1 (%2 log rows, no tokens, no message text).</source>
        <translation>Paquete de diagnóstico guardado en %1 (%2 filas del registro, sin tokens ni texto de mensajes).</translation>
    </message>
    <message>
        <source>Save diagnostic bundle</source>
        <translation>Guardar paquete de diagnóstico</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Archivos zip (*.zip)</translation>
    </message>
    <message>
        <source>About Whats91 Desktop</source>
        <translation>Acerca de Whats91 Desktop</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Opening the message log…</source>
        <translation>Abriendo el registro de mensajes…</translation>
    </message>
    <message>
        <source>Search recipient, text, message id or error…</source>
        <translation>Buscar destinatario, texto, id de mensaje o error…</translation>
    </message>
    <message>
        <source>Search the message log</source>
        <translation>Buscar en el registro de mensajes</translation>
    </message>
    <message>
        <source>Search recipient, text, message id, request id or error (Ctrl+F)</source>
        <translation>Buscar destinatario, texto, id de mensaje, id de petición o error (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>Filtrar por estado</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Todos los estados</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Perfil</translation>
    </message>
    <message>
        <source>Filter by profile</source>
        <translation>Filtrar por perfil</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>Fechas</translation>
    </message>
    <message>
        <source>Only messages between two dates</source>
        <translation>Solo mensajes entre dos fechas</translation>
    </message>
    <message>
        <source>Unticked: any date</source>
        <translation>Sin marcar: cualquier fecha</translation>
    </message>
    <message>
        <source>Number of messages shown</source>
        <translation>Número de mensajes mostrados</translation>
    </message>
    <message>
        <source>Failures not looked at yet</source>
        <translation>Fallos aún sin revisar</translation>
    </message>
    <message>
        <source>Include token</source>
        <translation>Incluir token</translation>
    </message>
    <message>
        <source>Include the access token in copied curl commands</source>
        <translation>Incluir el token de acceso en los comandos curl copiados</translation>
    </message>
    <message>
        <source>Off: the command uses $WHATS91_TOKEN instead of your token</source>
        <translation>Desactivado: el comando usa $WHATS91_TOKEN en lugar de su token</translation>
    </message>
    <message>
        <source>Token warning</source>
        <translation>Aviso sobre el token</translation>
    </message>
    <message>
        <source>Log actions</source>
        <translation>Acciones del registro</translation>
    </message>
    <message>
        <source>Message log</source>
        <translation>Registro de mensajes</translation>
    </message>
    <message>
        <source>Newest first. Enter a search above; select a row to see its details.</source>
        <translation>Más recientes primero. Escriba una búsqueda arriba; seleccione una fila para ver sus detalles.</translation>
    </message>
    <message>
        <source>Right-click to choose the columns</source>
        <translation>Clic derecho para elegir las columnas</translation>
    </message>
    <message>
        <source>Message details</source>
        <translation>Detalles del mensaje</translation>
    </message>
    <message>
        <source>Summary and status timeline</source>
        <translation>Resumen y cronología de estados</translation>
    </message>
    <message>
        <source>Select a message to see what became of it.</source>
        <translation>Seleccione un mensaje para ver qué fue de él.</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Petición</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Waiting for the answer</source>
        <translation>Esperando la respuesta</translation>
    </message>
    <message>
        <source>to</source>
        <translation>hasta</translation>
    </message>
    <message>
        <source>Waiting for Whats91&apos;s answer: %1 (the read timeout). Cancel stops waiting; the message may still arrive.</source>
        <translation>Esperando la respuesta de Whats91: %1 (el tiempo de lectura). Cancelar deja de esperar; el mensaje aún puede llegar.</translation>
    </message>
    <message>
        <source>⚠ %1 unseen</source>
        <translation>⚠ %1 sin ver</translation>
    </message>
    <message>
        <source>%1 message%2 failed or ended unknown while you looked elsewhere: click to open the first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: all</source>
        <translation>Estado: todos</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Estado: %1</translation>
    </message>
    <message>
        <source>Status: %1 chosen</source>
        <translation>Estado: %1 elegidos</translation>
    </message>
    <message>
        <source>; profile %1 only</source>
        <translation>; solo el perfil %1</translation>
    </message>
    <message>
        <source>No messages yet</source>
        <translation>Aún no hay mensajes</translation>
    </message>
    <message>
        <source>No messages match</source>
        <translation>Ningún mensaje coincide</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>Columnas predeterminadas</translation>
    </message>
    <message>
        <source>Log row actions</source>
        <translation>Acciones de la fila del registro</translation>
    </message>
    <message>
        <source>Could not read log row %1: %2</source>
        <translation>No se pudo leer la fila %1 del registro: %2</translation>
    </message>
    <message>
        <source>Message ID copied</source>
        <translation>ID de mensaje copiado</translation>
    </message>
    <message>
        <source>Export log as %1</source>
        <translation>Exportar el registro como %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>La exportación falló: %1</translation>
    </message>
    <message>
        <source>Could not delete: %1</source>
        <translation>No se pudo eliminar: %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>Close the window</source>
        <translation>Cerrar la ventana</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>Theme, language, timeouts and other settings of the app</source>
        <translation>Tema, idioma, tiempos de espera y otros ajustes de la aplicación</translation>
    </message>
    <message>
        <source>&amp;Profiles</source>
        <translation>P&amp;erfiles</translation>
    </message>
    <message>
        <source>&amp;Add profile…</source>
        <translation>&amp;Añadir perfil…</translation>
    </message>
    <message>
        <source>Add a Whats91 account: base URL, token and senders</source>
        <translation>Añadir una cuenta de Whats91: URL base, token y remitentes</translation>
    </message>
    <message>
        <source>&amp;Manage profiles…</source>
        <translation>&amp;Gestionar perfiles…</translation>
    </message>
    <message>
        <source>Edit, rename or delete profiles</source>
        <translation>Editar, renombrar o eliminar perfiles</translation>
    </message>
    <message>
        <source>&amp;Test token…</source>
        <translation>&amp;Probar token…</translation>
    </message>
    <message>
        <source>Ask the API whether this profile&apos;s token works for the chosen sender</source>
        <translation>Preguntar a la API si el token de este perfil sirve para el remitente elegido</translation>
    </message>
    <message>
        <source>Switch to &amp;sandbox</source>
        <translation>Cambiar al &amp;sandbox</translation>
    </message>
    <message>
        <source>The built-in emulator: nothing leaves this computer</source>
        <translation>El emulador integrado: nada sale de este equipo</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Mensaje</translation>
    </message>
    <message>
        <source>&amp;Send	Ctrl+Enter</source>
        <translation>&amp;Enviar	Ctrl+Enter</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>Sandbox &amp;scenarios…</source>
        <translation>&amp;Escenarios del sandbox…</translation>
    </message>
    <message>
        <source>The recipient numbers that make the sandbox queue, fail, time out or rate-limit</source>
        <translation>Los números de destinatario que hacen que el sandbox encole, falle, agote el tiempo o limite</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Atajos de &amp;teclado</translation>
    </message>
    <message>
        <source>Every key the window answers to</source>
        <translation>Todas las teclas a las que responde la ventana</translation>
    </message>
    <message>
        <source>Save &amp;diagnostic bundle…</source>
        <translation>Guardar paquete de &amp;diagnóstico…</translation>
    </message>
    <message>
        <source>A zip for support: versions, paths, the redacted log, no tokens, no message text</source>
        <translation>Un zip para soporte: versiones, rutas, el registro censurado, sin tokens ni texto de mensajes</translation>
    </message>
    <message>
        <source>&amp;About Whats91 Desktop</source>
        <translation>&amp;Acerca de Whats91 Desktop</translation>
    </message>
    <message>
        <source>Show the %1 room</source>
        <translation>Mostrar la sala %1</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source>Changes are saved and used as you make them.</source>
        <translation>Los cambios se guardan y se aplican en cuanto los haces.</translation>
    </message>
    <message>
        <source>&amp;Restore defaults</source>
        <translation>&amp;Restablecer valores predeterminados</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>Restablecer valores predeterminados</translation>
    </message>
    <message>
        <source>Put every preference back to its default value</source>
        <translation>Devolver cada preferencia a su valor predeterminado</translation>
    </message>
    <message>
        <source>(after a restart)</source>
        <translation>(tras reiniciar)</translation>
    </message>
    <message>
        <source>Takes effect after Whats91 Desktop is restarted: %1.</source>
        <translation>Se aplica al reiniciar Whats91 Desktop: %1.</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Perfil</translation>
    </message>
    <message>
        <source>S&amp;ender</source>
        <translation>&amp;Remitente</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Atajo</translation>
    </message>
    <message>
        <source>Anywhere in the window</source>
        <translation>En toda la ventana</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Tab and Shift+Tab move between fields; Alt with an underlined letter picks it.</source>
        <translation>Tab y Mayús+Tab pasan de un campo a otro; Alt con la letra subrayada lo elige.</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Show or hide the saved requests and the request preview</source>
        <translation>Mostrar u ocultar las peticiones guardadas y la vista previa de la petición</translation>
    </message>
    <message>
        <source>Copy as ▾</source>
        <translation>Copiar como ▾</translation>
    </message>
    <message>
        <source>Copy this message as curl, Python or JavaScript (token left out unless ticked)</source>
        <translation>Copiar este mensaje como curl, Python o JavaScript (sin el token salvo que se marque)</translation>
    </message>
    <message>
        <source>Save re&amp;quest…</source>
        <translation>Guardar &amp;petición…</translation>
    </message>
    <message>
        <source>Keep this message, with its recipient, in this profile&apos;s saved requests (Ctrl+S)</source>
        <translation>Guardar este mensaje, con su destinatario, en las peticiones guardadas de este perfil (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save the composed request</source>
        <translation>Guardar la petición redactada</translation>
    </message>
    <message>
        <source>Save the composed request as…</source>
        <translation>Guardar la petición redactada como…</translation>
    </message>
    <message>
        <source>Could not read the saved requests: %1</source>
        <translation>No se pudieron leer las peticiones guardadas: %1</translation>
    </message>
    <message>
        <source>There is nothing to save yet: the Meta JSON cannot be read. Fix it first.</source>
        <translation>Todavía no hay nada que guardar: no se puede leer el JSON de Meta. Corríjalo primero.</translation>
    </message>
    <message>
        <source>The request was not saved: %1</source>
        <translation>La petición no se guardó: %1</translation>
    </message>
    <message>
        <source>“%1” was not saved: %2</source>
        <translation>«%1» no se guardó: %2</translation>
    </message>
    <message>
        <source>“%1” was deleted meanwhile: save it again under a name.</source>
        <translation>«%1» se eliminó mientras tanto: guárdela de nuevo con un nombre.</translation>
    </message>
    <message>
        <source>Saved “%1” in %2&apos;s requests</source>
        <translation>«%1» guardada en las peticiones de %2</translation>
    </message>
    <message>
        <source>“%1” cannot be read by this version of the app.</source>
        <translation>Esta versión de la aplicación no puede leer «%1».</translation>
    </message>
    <message>
        <source>Opened “%1”: edit it and Send, or Save request to keep the changes</source>
        <translation>«%1» abierta: edítela y pulse Enviar, o Guardar petición para conservar los cambios</translation>
    </message>
    <message>
        <source>Row %1 is in the composer: edit it and Send it as a new message.%2</source>
        <translation>La fila %1 está en el editor: edítela y envíela como un mensaje nuevo.%2</translation>
    </message>
    <message>
        <source>“%1” was not duplicated: %2</source>
        <translation>«%1» no se duplicó: %2</translation>
    </message>
    <message>
        <source>Duplicated “%1” as “%2”</source>
        <translation>«%1» duplicada como «%2»</translation>
    </message>
    <message>
        <source>“%1” was not renamed: %2</source>
        <translation>«%1» no se renombró: %2</translation>
    </message>
    <message>
        <source>Renamed “%1” to “%2”</source>
        <translation>«%1» renombrada a «%2»</translation>
    </message>
    <message>
        <source>“%1” was not deleted: %2</source>
        <translation>«%1» no se eliminó: %2</translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation>«%1» eliminada</translation>
    </message>
    <message>
        <source>There is nothing to copy yet: the Meta JSON cannot be read.</source>
        <translation>Todavía no hay nada que copiar: no se puede leer el JSON de Meta.</translation>
    </message>
    <message>
        <source>“%1” cannot be copied as code: %2</source>
        <translation>«%1» no se puede copiar como código: %2</translation>
    </message>
    <message>
        <source>%1 variable%2 saved for “%3”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved requests of “%1” could not follow its new name: %2</source>
        <translation>Las peticiones guardadas de «%1» no pudieron seguir su nuevo nombre: %2</translation>
    </message>
    <message>
        <source>Audience source</source>
        <translation>Origen del público</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>Archivo CSV</translation>
    </message>
    <message>
        <source>Pasted numbers</source>
        <translation>Números pegados</translation>
    </message>
    <message>
        <source>Contact book</source>
        <translation>Agenda de contactos</translation>
    </message>
    <message>
        <source>No audience yet.</source>
        <translation>Aún no hay público.</translation>
    </message>
    <message>
        <source>customers.csv — UTF-8, comma, semicolon or tab separated</source>
        <translation>clientes.csv — UTF-8, separado por comas, punto y coma o tabuladores</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Cargar</translation>
    </message>
    <message>
        <source>Read as Windows-1252</source>
        <translation>Leer como Windows-1252</translation>
    </message>
    <message>
        <source>One number per line (or separated by commas), e.g. +91 98765 43210</source>
        <translation>Un número por línea (o separados por comas), p. ej. +91 98765 43210</translation>
    </message>
    <message>
        <source>Use these numbers</source>
        <translation>Usar estos números</translation>
    </message>
    <message>
        <source>List contact books</source>
        <translation>Listar agendas de contactos</translation>
    </message>
    <message>
        <source>Use this book</source>
        <translation>Usar esta agenda</translation>
    </message>
    <message>
        <source>Choose the recipients&apos; CSV file</source>
        <translation>Elija el archivo CSV de destinatarios</translation>
    </message>
    <message>
        <source>Choose a CSV file first.</source>
        <translation>Elija primero un archivo CSV.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation>No se puede leer %1: %2.</translation>
    </message>
    <message>
        <source>Paste at least one number.</source>
        <translation>Pegue al menos un número.</translation>
    </message>
    <message>
        <source>The contact books could not be listed: %1</source>
        <translation>No se pudieron listar las agendas de contactos: %1</translation>
    </message>
    <message>
        <source>This account has no active contact book.</source>
        <translation>Esta cuenta no tiene ninguna agenda de contactos activa.</translation>
    </message>
    <message>
        <source>The contacts could not be read: %1</source>
        <translation>No se pudieron leer los contactos: %1</translation>
    </message>
    <message>
        <source>%1 rows from %2 · columns: %3</source>
        <translation>%1 filas de %2 · columnas: %3</translation>
    </message>
    <message>
        <source>Send to everyone?</source>
        <translation>¿Enviar a todos?</translation>
    </message>
    <message>
        <source>Confirm a production send</source>
        <translation>Confirmar un envío de producción</translation>
    </message>
    <message>
        <source>Rows done</source>
        <translation>Filas hechas</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Cancel the rest…</source>
        <translation>Cancelar el resto…</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>Reintentar fallidas</translation>
    </message>
    <message>
        <source>Check unknown</source>
        <translation>Comprobar desconocidas</translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation>Exportar resultados…</translation>
    </message>
    <message>
        <source>Show rows</source>
        <translation>Mostrar filas</translation>
    </message>
    <message>
        <source>More rows</source>
        <translation>Más filas</translation>
    </message>
    <message>
        <source>Rows of the job</source>
        <translation>Filas del trabajo</translation>
    </message>
    <message>
        <source>Campaign roll-up (click a count to see those rows)</source>
        <translation>Resumen de la campaña (haga clic en un recuento para ver esas filas)</translation>
    </message>
    <message>
        <source>%1 · job %2</source>
        <translation>%1 · trabajo %2</translation>
    </message>
    <message>
        <source>%1%2 rows shown</source>
        <translation>%1%2 filas mostradas</translation>
    </message>
    <message>
        <source>Resume (%1 left)</source>
        <translation>Reanudar (quedan %1)</translation>
    </message>
    <message>
        <source>Retry failed (%1)</source>
        <translation>Reintentar fallidas (%1)</translation>
    </message>
    <message>
        <source>Check unknown (%1)</source>
        <translation>Comprobar desconocidas (%1)</translation>
    </message>
    <message>
        <source>New bulk send</source>
        <translation>Nuevo envío masivo</translation>
    </message>
    <message>
        <source>Bulk jobs</source>
        <translation>Trabajos masivos</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Trabajos</translation>
    </message>
    <message>
        <source>job %1 · profile %2</source>
        <translation>trabajo %1 · perfil %2</translation>
    </message>
    <message>
        <source>No bulk job yet.</source>
        <translation>Aún no hay trabajos masivos.</translation>
    </message>
    <message>
        <source>“%1” stopped before the end%2.</source>
        <translation>«%1» se detuvo antes del final%2.</translation>
    </message>
    <message>
        <source>A job of profile “%1” has %2 rows left: switch to that profile to resume it.</source>
        <translation>A un trabajo del perfil «%1» le quedan %2 filas: cambie a ese perfil para reanudarlo.</translation>
    </message>
    <message>
        <source>Check every row (dry run)</source>
        <translation>Comprobar cada fila (simulacro)</translation>
    </message>
    <message>
        <source>1 · Who gets it</source>
        <translation>1 · Quién lo recibe</translation>
    </message>
    <message>
        <source>2 · What they get</source>
        <translation>2 · Qué reciben</translation>
    </message>
    <message>
        <source>3 · Nothing is sent until you confirm the report.</source>
        <translation>3 · No se envía nada hasta que confirme el informe.</translation>
    </message>
    <message>
        <source>The template list could not be read: %1</source>
        <translation>No se pudo leer la lista de plantillas: %1</translation>
    </message>
    <message>
        <source>The dry run could not finish: %1</source>
        <translation>El simulacro no pudo terminar: %1</translation>
    </message>
    <message>
        <source>Nothing was sent.</source>
        <translation>No se envió nada.</translation>
    </message>
    <message>
        <source>The job could not be planned, nothing was sent: %1</source>
        <translation>No se pudo planificar el trabajo; no se envió nada: %1</translation>
    </message>
    <message>
        <source>Job %1 could not start: %2</source>
        <translation>El trabajo %1 no pudo empezar: %2</translation>
    </message>
    <message>
        <source>Bulk job “%1” %2: </source>
        <translation>Trabajo masivo «%1» %2: </translation>
    </message>
    <message>
        <source>Job %1 could not be cancelled: %2</source>
        <translation>No se pudo cancelar el trabajo %1: %2</translation>
    </message>
    <message>
        <source>The failed rows could not be planned again: %1</source>
        <translation>No se pudieron volver a planificar las filas fallidas: %1</translation>
    </message>
    <message>
        <source>Sending %1 rows again.</source>
        <translation>Enviando de nuevo %1 filas.</translation>
    </message>
    <message>
        <source>The unknown rows of job %1 could not be checked: %2</source>
        <translation>No se pudieron comprobar las filas desconocidas del trabajo %1: %2</translation>
    </message>
    <message>
        <source>Export the job&apos;s results</source>
        <translation>Exportar los resultados del trabajo</translation>
    </message>
    <message>
        <source>The results could not be exported to %1: %2</source>
        <translation>No se pudieron exportar los resultados a %1: %2</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2.</source>
        <translation>Se exportaron %1 filas a %2.</translation>
    </message>
    <message>
        <source>Job %1 could not be read: %2</source>
        <translation>No se pudo leer el trabajo %1: %2</translation>
    </message>
    <message>
        <source>The rows of job %1 could not be read: %2</source>
        <translation>No se pudieron leer las filas del trabajo %1: %2</translation>
    </message>
    <message>
        <source>The bulk jobs could not be read: %1</source>
        <translation>No se pudieron leer los trabajos masivos: %1</translation>
    </message>
    <message>
        <source>Show the %1 rows</source>
        <translation>Mostrar las filas %1</translation>
    </message>
    <message>
        <source>Show only the %1 rows below</source>
        <translation>Mostrar abajo solo las filas %1</translation>
    </message>
    <message>
        <source>Top errors: </source>
        <translation>Errores principales: </translation>
    </message>
    <message>
        <source>Click to switch between newest and oldest first</source>
        <translation>Haga clic para alternar entre más recientes y más antiguos primero</translation>
    </message>
    <message>
        <source>Could not read the status: %1</source>
        <translation>No se pudo leer el estado: %1</translation>
    </message>
    <message>
        <source>Status of row %1: %2</source>
        <translation>Estado de la fila %1: %2</translation>
    </message>
    <message>
        <source>Row %1 was logged without its composed message, so no curl command can be built. The redacted request is in the details.</source>
        <translation>La fila %1 se registró sin su mensaje compuesto, así que no se puede crear ningún comando curl. La petición censurada está en los detalles.</translation>
    </message>
    <message>
        <source>Could not build the curl command: %1</source>
        <translation>No se pudo crear el comando curl: %1</translation>
    </message>
    <message>
        <source>curl command copied</source>
        <translation>Comando curl copiado</translation>
    </message>
    <message>
        <source> — it contains the token: do not paste it anywhere public</source>
        <translation> — contiene el token: no lo pegue en ningún sitio público</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>Notificación</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Show the message in the log</source>
        <translation>Mostrar el mensaje en el registro</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Dismiss the notification</source>
        <translation>Descartar la notificación</translation>
    </message>
    <message>
        <source>+%1 more</source>
        <translation>+%1 más</translation>
    </message>
    <message>
        <source>Manage profiles</source>
        <translation>Gestionar perfiles</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>Perfiles</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Añadir…</translation>
    </message>
    <message>
        <source>Add profile</source>
        <translation>Añadir perfil</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Edit profile</source>
        <translation>Editar perfil</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Eliminar</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>Eliminar perfil</translation>
    </message>
    <message>
        <source>Delete the profile “%1” and its stored token?

The message log keeps its rows.</source>
        <translation>¿Eliminar el perfil «%1» y su token guardado?

El registro de mensajes conserva sus filas.</translation>
    </message>
    <message>
        <source>Could not delete the profile: %1</source>
        <translation>No se pudo eliminar el perfil: %1</translation>
    </message>
    <message>
        <source>Profile “%1” and its token were deleted.</source>
        <translation>Se eliminaron el perfil «%1» y su token.</translation>
    </message>
    <message>
        <source>Token storage warning</source>
        <translation>Aviso sobre el almacenamiento del token</translation>
    </message>
    <message>
        <source>Profile name</source>
        <translation>Nombre del perfil</translation>
    </message>
    <message>
        <source>e.g. Production, Support line, Test</source>
        <translation>p. ej. Producción, Línea de soporte, Pruebas</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>URL base</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>URL &amp;base:</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>Token de la API</translation>
    </message>
    <message>
        <source>Unchanged (stored securely) — type to replace</source>
        <translation>Sin cambios (guardado de forma segura) — escriba para sustituirlo</translation>
    </message>
    <message>
        <source>w91_live_…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the token (Alt+W)</source>
        <translation>Mostrar u ocultar el token (Alt+W)</translation>
    </message>
    <message>
        <source>Show token</source>
        <translation>Mostrar token</translation>
    </message>
    <message>
        <source>To&amp;ken:</source>
        <translation>To&amp;ken:</translation>
    </message>
    <message>
        <source>Default country for numbers</source>
        <translation>País predeterminado de los números</translation>
    </message>
    <message>
        <source>Default &amp;country:</source>
        <translation>&amp;País predeterminado:</translation>
    </message>
    <message>
        <source>Connect timeout in seconds</source>
        <translation>Tiempo de conexión en segundos</translation>
    </message>
    <message>
        <source>Read timeout in seconds</source>
        <translation>Tiempo de lectura en segundos</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Leído</translation>
    </message>
    <message>
        <source>Time&amp;outs:</source>
        <translation>Tiempos de &amp;espera:</translation>
    </message>
    <message>
        <source>S&amp;enders</source>
        <translation>R&amp;emitentes</translation>
    </message>
    <message>
        <source>Sender numbers</source>
        <translation>Números remitentes</translation>
    </message>
    <message>
        <source>New sender number</source>
        <translation>Nuevo número remitente</translation>
    </message>
    <message>
        <source>A sender number with its country code, e.g. 919999999999</source>
        <translation>Un número remitente con su prefijo de país, p. ej. 919999999999</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>Add sender</source>
        <translation>Añadir remitente</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Remove sender</source>
        <translation>Quitar remitente</translation>
    </message>
    <message>
        <source>Make &amp;default</source>
        <translation>Hacer &amp;predeterminado</translation>
    </message>
    <message>
        <source>Make default sender</source>
        <translation>Hacer remitente predeterminado</translation>
    </message>
    <message>
        <source>&amp;Test token</source>
        <translation>&amp;Probar token</translation>
    </message>
    <message>
        <source>Test token</source>
        <translation>Probar token</translation>
    </message>
    <message>
        <source>Token test result</source>
        <translation>Resultado de la prueba del token</translation>
    </message>
    <message>
        <source>Why Save is disabled</source>
        <translation>Por qué Guardar está desactivado</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>Guardar perfil</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save this profile</source>
        <translation>Guardar este perfil</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ocultar</translation>
    </message>
    <message>
        <source>Hide token</source>
        <translation>Ocultar token</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Probando…</translation>
    </message>
    <message>
        <source>Testing the token of “%1”…</source>
        <translation>Probando el token de «%1»…</translation>
    </message>
    <message>
        <source>Token test — %1</source>
        <translation>Prueba del token — %1</translation>
    </message>
    <message>
        <source>Welcome to Whats91 Desktop</source>
        <translation>Bienvenido a Whats91 Desktop</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Bienvenida</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to Whats91 Desktop&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Bienvenido a Whats91 Desktop&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Send WhatsApp messages through the Whats91 API, follow their delivery and look up what happened to any of them.

The sandbox is built in: it behaves like the real API (including its failures) and nothing leaves this computer. Add a token when you are ready for real messages.</source>
        <translation>Envíe mensajes de WhatsApp a través de la API de Whats91, siga su entrega y consulte qué fue de cualquiera de ellos.

El sandbox viene incluido: se comporta como la API real (incluidos sus fallos) y nada sale de este equipo. Añada un token cuando esté listo para mensajes reales.</translation>
    </message>
    <message>
        <source>Try the sandbox</source>
        <translation>Probar el sandbox</translation>
    </message>
    <message>
        <source>Add a Whats91 token…</source>
        <translation>Añadir un token de Whats91…</translation>
    </message>
    <message>
        <source>Add a Whats91 token</source>
        <translation>Añadir un token de Whats91</translation>
    </message>
    <message>
        <source>This message is already being sent; change it to send another.</source>
        <translation>Este mensaje ya se está enviando; cámbielo para enviar otro.</translation>
    </message>
    <message>
        <source>Not sent.</source>
        <translation>No enviado.</translation>
    </message>
    <message>
        <source>Send a real message?</source>
        <translation>¿Enviar un mensaje real?</translation>
    </message>
    <message>
        <source>This is the first send of this session through “%1” (PRODUCTION, %2).

The message goes to a real person: %3. Send it?</source>
        <translation>Es el primer envío de esta sesión a través de «%1» (PRODUCCIÓN, %2).

El mensaje llega a una persona real: %3. ¿Enviarlo?</translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation>Enviando a %1…</translation>
    </message>
    <message>
        <source>Nothing was sent: %1</source>
        <translation>No se envió nada: %1</translation>
    </message>
    <message>
        <source>Could not remember sender %1: %2</source>
        <translation>No se pudo recordar el remitente %1: %2</translation>
    </message>
    <message>
        <source>Row %1 cannot be sent again from here: the log keeps only the redacted request, not the composed message. Compose it again (its request is in the details).</source>
        <translation>La fila %1 no se puede volver a enviar desde aquí: el registro solo guarda la petición censurada, no el mensaje compuesto. Compóngalo de nuevo (su petición está en los detalles).</translation>
    </message>
    <message>
        <source>Row %1 was sent through “%2”; switch to that profile to send it again.</source>
        <translation>La fila %1 se envió a través de «%2»; cambie a ese perfil para volver a enviarla.</translation>
    </message>
    <message>
        <source>New webhook destination</source>
        <translation>Nuevo destino de webhook</translation>
    </message>
    <message>
        <source>Edit “%1”</source>
        <translation>Editar «%1»</translation>
    </message>
    <message>
        <source>e.g. CRM delivery hook</source>
        <translation>p. ej. webhook de entregas del CRM</translation>
    </message>
    <message>
        <source>Use the local receiver</source>
        <translation>Usar el receptor local</translation>
    </message>
    <message>
        <source>Fill in the URL of this app&apos;s receiver (start it first)</source>
        <translation>Rellenar con la URL del receptor de esta aplicación (arránquelo primero)</translation>
    </message>
    <message>
        <source>Retry failed deliveries</source>
        <translation>Reintentar las entregas fallidas</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>como máximo </translation>
    </message>
    <message>
        <source>optional, e.g. X-CRM-Webhook-Token</source>
        <translation>opcional, p. ej. X-CRM-Webhook-Token</translation>
    </message>
    <message>
        <source>the shared token Whats91 sends in that header</source>
        <translation>el token compartido que Whats91 envía en esa cabecera</translation>
    </message>
    <message>
        <source>leave empty to keep the current token</source>
        <translation>déjelo vacío para conservar el token actual</translation>
    </message>
    <message>
        <source>Remove the verification token</source>
        <translation>Quitar el token de verificación</translation>
    </message>
    <message>
        <source>Active (deliveries start at once)</source>
        <translation>Activo (las entregas empiezan enseguida)</translation>
    </message>
    <message>
        <source>Nothing changed yet</source>
        <translation>Aún no ha cambiado nada</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Crear</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>Guardar cambios</translation>
    </message>
    <message>
        <source>Destinations (Whats91 → your endpoint)</source>
        <translation>Destinos (Whats91 → su endpoint)</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Nuevo…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Desactivar</translation>
    </message>
    <message>
        <source>Clear token</source>
        <translation>Borrar token</translation>
    </message>
    <message>
        <source>Reveal secret…</source>
        <translation>Revelar secreto…</translation>
    </message>
    <message>
        <source>Send test event</source>
        <translation>Enviar evento de prueba</translation>
    </message>
    <message>
        <source>Sign with the wrong secret</source>
        <translation>Firmar con el secreto equivocado</translation>
    </message>
    <message>
        <source>Status of a logged message, another target…</source>
        <translation>Estado de un mensaje registrado, otro destino…</translation>
    </message>
    <message>
        <source>Local receiver (your endpoint, on this computer)</source>
        <translation>Receptor local (su endpoint, en este equipo)</translation>
    </message>
    <message>
        <source>Receiver port</source>
        <translation>Puerto del receptor</translation>
    </message>
    <message>
        <source>port </source>
        <translation>puerto </translation>
    </message>
    <message>
        <source>Listen on all network interfaces</source>
        <translation>Escuchar en todas las interfaces de red</translation>
    </message>
    <message>
        <source>Off: only programs on this computer (and your tunnel) can reach it</source>
        <translation>Desactivado: solo los programas de este equipo (y su túnel) pueden alcanzarlo</translation>
    </message>
    <message>
        <source>Start receiver</source>
        <translation>Iniciar receptor</translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation>Copiar URL</translation>
    </message>
    <message>
        <source>Forward every delivery to</source>
        <translation>Reenviar cada entrega a</translation>
    </message>
    <message>
        <source>Forward deliveries to</source>
        <translation>Reenviar las entregas a</translation>
    </message>
    <message>
        <source>Delivery detail</source>
        <translation>Detalle de la entrega</translation>
    </message>
    <message>
        <source>Select a delivery to see its headers and body (secrets redacted).</source>
        <translation>Seleccione una entrega para ver sus cabeceras y su cuerpo (secretos censurados).</translation>
    </message>
    <message>
        <source>Replay to the log</source>
        <translation>Reproducir en el registro</translation>
    </message>
    <message>
        <source>Replay to the forward URL</source>
        <translation>Reproducir en la URL de reenvío</translation>
    </message>
    <message>
        <source>Loading the webhooks of %1…</source>
        <translation>Cargando los webhooks de %1…</translation>
    </message>
    <message>
        <source>Could not load the webhooks: %1</source>
        <translation>No se pudieron cargar los webhooks: %1</translation>
    </message>
    <message>
        <source>%1 · %2 events in the catalog</source>
        <translation>%1 · %2 eventos en el catálogo</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>Reactivar</translation>
    </message>
    <message>
        <source>Webhook “%1” %2 (%3).</source>
        <translation>Webhook «%1» %2 (%3).</translation>
    </message>
    <message>
        <source>The secret could not be stored on this computer: %1</source>
        <translation>No se pudo guardar el secreto en este equipo: %1</translation>
    </message>
    <message>
        <source>Whats91 returned no signing secret: deliveries cannot be verified.</source>
        <translation>Whats91 no devolvió ningún secreto de firma: las entregas no se pueden verificar.</translation>
    </message>
    <message>
        <source>Clear the verification token</source>
        <translation>Borrar el token de verificación</translation>
    </message>
    <message>
        <source>Whats91 will stop sending %1 with deliveries to “%2”. Clear it?</source>
        <translation>Whats91 dejará de enviar %1 con las entregas a «%2». ¿Borrarlo?</translation>
    </message>
    <message>
        <source>“%1” was not changed: %2</source>
        <translation>«%1» no se cambió: %2</translation>
    </message>
    <message>
        <source>Webhook “%1” %2.</source>
        <translation>Webhook «%1» %2.</translation>
    </message>
    <message>
        <source>The secret could not be read: %1</source>
        <translation>No se pudo leer el secreto: %1</translation>
    </message>
    <message>
        <source>No signing secret of “%1” is stored on this computer: Whats91 showed it once, when the webhook was created (elsewhere?). Create a new webhook to get a new secret.</source>
        <translation>No hay ningún secreto de firma de «%1» guardado en este equipo: Whats91 lo mostró una vez, al crear el webhook (¿en otro sitio?). Cree un webhook nuevo para obtener un secreto nuevo.</translation>
    </message>
    <message>
        <source>Start the receiver or set a forward URL first: test events need a target.</source>
        <translation>Inicie el receptor o indique primero una URL de reenvío: los eventos de prueba necesitan un destino.</translation>
    </message>
    <message>
        <source>The test event was not sent: %1</source>
        <translation>El evento de prueba no se envió: %1</translation>
    </message>
    <message>
        <source>Test event %1%2 → %3: %4</source>
        <translation>Evento de prueba %1%2 → %3: %4</translation>
    </message>
    <message>
        <source>The webhook receiver stopped.</source>
        <translation>El receptor de webhooks se detuvo.</translation>
    </message>
    <message>
        <source>The webhook receiver listens at %1.</source>
        <translation>El receptor de webhooks escucha en %1.</translation>
    </message>
    <message>
        <source>The receiver could not start: %1</source>
        <translation>El receptor no pudo iniciarse: %1</translation>
    </message>
    <message>
        <source>Stop receiver</source>
        <translation>Detener receptor</translation>
    </message>
    <message>
        <source>Listening. Endpoint URL to paste: %1</source>
        <translation>Escuchando. URL del endpoint para pegar: %1</translation>
    </message>
    <message>
        <source>Not listening. Start the receiver to test deliveries on this computer.</source>
        <translation>Sin escuchar. Inicie el receptor para probar entregas en este equipo.</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>%1 copiado</translation>
    </message>
    <message>
        <source>Each delivery is relayed to %1 as it arrives.</source>
        <translation>Cada entrega se retransmite a %1 en cuanto llega.</translation>
    </message>
    <message>
        <source>Template %1 is now %2 (webhook).</source>
        <translation>La plantilla %1 ahora está %2 (webhook).</translation>
    </message>
    <message>
        <source>Replayed to the log: %1</source>
        <translation>Reproducido en el registro: %1</translation>
    </message>
    <message>
        <source>Replayed to %1: %2</source>
        <translation>Reproducido en %1: %2</translation>
    </message>
    <message>
        <source>A message id from the log, so the status matches a real row</source>
        <translation>Un id de mensaje del registro, para que el estado coincida con una fila real</translation>
    </message>
    <message>
        <source>Sign it with the wrong secret (your handler must reject it)</source>
        <translation>Firmarlo con el secreto equivocado (su manejador debe rechazarlo)</translation>
    </message>
    <message>
        <source>The handler&apos;s answer appears here.</source>
        <translation>La respuesta del manejador aparece aquí.</translation>
    </message>
    <message>
        <source>Signed with the signing secret of %1.</source>
        <translation>Firmado con el secreto de firma de %1.</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Message id</source>
        <translation>Id del mensaje</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>Enviar a</translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation>Secreto de firma</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copied. The clipboard is cleared when you close this window.</source>
        <translation>Copiado. El portapapeles se vacía al cerrar esta ventana.</translation>
    </message>
    <message>
        <source>Could not build the %1 code for %2: %3</source>
        <translation>No se pudo crear el código %1 para %2: %3</translation>
    </message>
    <message>
        <source>%1 copied as %2%3</source>
        <translation>%1 copiado como %2%3</translation>
    </message>
    <message>
        <source>Open in &amp;composer</source>
        <translation>Abrir en el &amp;editor</translation>
    </message>
    <message>
        <source>Put this exact message in the composer, to edit and send it</source>
        <translation>Poner este mismo mensaje en el editor, para editarlo y enviarlo</translation>
    </message>
    <message>
        <source>Copy &amp;as</source>
        <translation>Copiar &amp;como</translation>
    </message>
    <message>
        <source>Saved requests</source>
        <translation>Peticiones guardadas</translation>
    </message>
    <message>
        <source>&amp;Variables…</source>
        <translation>&amp;Variables…</translation>
    </message>
    <message>
        <source>The {{name}} values of this profile</source>
        <translation>Los valores {{nombre}} de este perfil</translation>
    </message>
    <message>
        <source>Filter saved requests</source>
        <translation>Filtrar peticiones guardadas</translation>
    </message>
    <message>
        <source>Filter saved requests…</source>
        <translation>Filtrar peticiones guardadas…</translation>
    </message>
    <message>
        <source>Request preview, variables resolved</source>
        <translation>Vista previa de la petición, con las variables resueltas</translation>
    </message>
    <message>
        <source>What Send would send now, with this profile&apos;s {{variables}} put in</source>
        <translation>Lo que Enviar enviaría ahora, con las {{variables}} de este perfil ya puestas</translation>
    </message>
    <message>
        <source>&amp;Copy as</source>
        <translation>&amp;Copiar como</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <source>In the composer: “%1”. Save request (Ctrl+S) updates it.</source>
        <translation>En el editor: «%1». Guardar petición (Ctrl+S) la actualiza.</translation>
    </message>
    <message>
        <source>Saved request actions</source>
        <translation>Acciones de la petición guardada</translation>
    </message>
    <message>
        <source>Variables — %1</source>
        <translation>Variables — %1</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variables</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Add a variable</source>
        <translation>Añadir una variable</translation>
    </message>
    <message>
        <source>Remove the selected variable</source>
        <translation>Quitar la variable seleccionada</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No guardado: %1</translation>
    </message>
    <message>
        <source>The 24-hour window is closed: the contact has not written yet; free-form messages will fail (131047).</source>
        <translation>La ventana de 24 horas está cerrada: el contacto aún no ha escrito; los mensajes de texto libre fallarán (131047).</translation>
    </message>
    <message>
        <source>The 24-hour window closed %1; free-form messages will fail (131047).</source>
        <translation>La ventana de 24 horas se cerró %1; los mensajes de texto libre fallarán (131047).</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>sin motivo indicado</translation>
    </message>
    <message>
        <source>Not delivered: %1.</source>
        <translation>No entregado: %1.</translation>
    </message>
    <message>
        <source>You: </source>
        <translation>Usted: </translation>
    </message>
    <message>
        <source>%1 unread</source>
        <translation>%1 sin leer</translation>
    </message>
    <message>
        <source>window %1</source>
        <translation>ventana %1</translation>
    </message>
</context>
</TS>
