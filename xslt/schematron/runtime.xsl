<?xml version="1.0" encoding="UTF-8"?>
<!--
  runtime.xsl - functions that compile.xsl copies into every stylesheet it generates.

  Not used on its own: compile.xsl reads this file and copies its xsl:function elements into the
  output, so a generated stylesheet is self-contained (it can be saved and run elsewhere).

  schx:location($node) gives an XPath that identifies exactly one node of the validated
  document, written with EQNames so that no prefix bindings are needed to read it back:
    /Q{http://www.tei-c.org/ns/1.0}TEI[1]/Q{http://www.tei-c.org/ns/1.0}text[1]/@Q{}ref
  Steps: element  /Q{uri}local[n]      (n = position among same-named siblings)
         attribute /@Q{uri}local
         text      /text()[n]
         comment   /comment()[n]
         PI        /processing-instruction(name)[n]
  The document node itself is "/".
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:schx="urn:x-toolkit:schematron"
    exclude-result-prefixes="#all">

  <xsl:function name="schx:location" as="xs:string">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="
        if (empty($node) or $node instance of document-node()) then '/'
        else string-join($node/ancestor-or-self::node()[not(. instance of document-node())]
                         ! schx:step(.), '')"/>
  </xsl:function>

  <xsl:function name="schx:step" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="
        if ($n instance of element()) then
          '/Q{' || namespace-uri($n) || '}' || local-name($n) || '['
          || count($n/preceding-sibling::*[node-name(.) eq node-name($n)]) + 1 || ']'
        else if ($n instance of attribute()) then '/@Q{' || namespace-uri($n) || '}' || local-name($n)
        else if ($n instance of text()) then '/text()[' || count($n/preceding-sibling::text()) + 1 || ']'
        else if ($n instance of comment()) then '/comment()[' || count($n/preceding-sibling::comment()) + 1 || ']'
        else if ($n instance of processing-instruction()) then
          '/processing-instruction(' || local-name($n) || ')['
          || count($n/preceding-sibling::processing-instruction()[local-name(.) eq local-name($n)]) + 1
          || ']'
        else if ($n instance of namespace-node()) then
          '/namespace::' || (local-name($n)[.], '*[not(local-name())]')[1]
        else ''"/>
  </xsl:function>

</xsl:stylesheet>
