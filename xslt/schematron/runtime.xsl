<?xml version="1.0" encoding="UTF-8"?>
<!--
  runtime.xsl - functions that compile.xsl copies into every stylesheet it generates.

  Not used on its own: compile.xsl copies its declarations into the output, so a generated
  stylesheet is self-contained (it can be saved and run elsewhere).

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
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
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
          '/Q{' || namespace-uri($n) || '}' || local-name($n) || '[' || schx:position($n) || ']'
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

  <!-- An element's position among its siblings of the same name. Counting the preceding ones
       costs as many steps as there are: for the entries of a long list (an authority file of
       50,000 persons, each with a failure) locating every failure was quadratic. Past 32
       siblings the position is looked up in a map that numbers, in one pass, the children of
       every element of the validated document that has more than 32 (made on first use, so
       only for a document that needs it); elements of other documents (a subject in
       $edition-context) are counted. -->
  <xsl:variable name="schx:source" as="document-node()?">
    <xsl:try select="root(.)[. instance of document-node()]">
      <xsl:catch select="()"/>
    </xsl:try>
  </xsl:variable>

  <xsl:variable name="schx:positions" as="map(xs:string, xs:integer)"
      select="map:merge($schx:source//*[*[33]] ! schx:number-children(.))"/>

  <xsl:function name="schx:number-children" as="map(xs:string, xs:integer)*">
    <xsl:param name="parent" as="element()"/>
    <xsl:for-each-group select="$parent/*" group-by="node-name()">
      <xsl:for-each select="current-group()">
        <xsl:sequence select="map{generate-id(): position()}"/>
      </xsl:for-each>
    </xsl:for-each-group>
  </xsl:function>

  <xsl:function name="schx:position" as="xs:integer">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="
        if (empty($n/preceding-sibling::*[32]) or not(root($n) is $schx:source))
        then count($n/preceding-sibling::*[node-name(.) eq node-name($n)]) + 1
        else $schx:positions(generate-id($n))"/>
  </xsl:function>

</xsl:stylesheet>
